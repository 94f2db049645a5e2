import type { UiLang } from '../i18n';

/** The crisis alert. */
export const crisis = {
  message: { en: 'Message', fr: 'Message', nl: 'Bericht' },
  sendAlert: { en: 'Send the alert', fr: 'Envoyer l’alerte', nl: 'Waarschuwing verzenden' },
  alertSent: { en: 'Alert queued', fr: 'Alerte mise en file', nl: 'Waarschuwing in wachtrij' },
} as const satisfies Record<string, Record<UiLang, string>>;
