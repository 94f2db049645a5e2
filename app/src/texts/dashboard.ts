import type { UiLang } from '../i18n';

/** The post editor's dashboard: editions, lists, growth. */
export const dashboard = {
  newEdition: { en: 'New edition', fr: 'Nouvelle édition', nl: 'Nieuwe editie' },
  updated: { en: 'Updated', fr: 'Mis à jour', nl: 'Bijgewerkt' },
  nextSend: { en: 'Next send', fr: 'Prochain envoi', nl: 'Volgende verzending' },
} as const satisfies Record<string, Record<UiLang, string>>;
