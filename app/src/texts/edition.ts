import type { UiLang } from '../i18n';

/** One edition: review, schedule, send and its progress. */
export const edition = {
  approve: { en: 'Approve', fr: 'Approuver', nl: 'Goedkeuren' },
  approved: { en: 'Approved', fr: 'Approuvée', nl: 'Goedgekeurd' },
  sentOnce: {
    en: 'Sent once (also in another variant or post)',
    fr: 'Envoyé une fois (aussi dans une autre variante ou un autre poste)',
    nl: 'Eén keer verzonden (ook in een andere variant of post)',
  },
  schedule: { en: 'Schedule', fr: 'Planifier', nl: 'Plannen' },
  scheduleAt: {
    en: 'Send at (the post’s local time)',
    fr: 'Envoyer le (heure locale du poste)',
    nl: 'Verzenden op (lokale tijd van de post)',
  },
  scheduledFor: { en: 'Scheduled for', fr: 'Planifiée pour', nl: 'Gepland voor' },
  sendBack: { en: 'Send back', fr: 'Renvoyer', nl: 'Terugsturen' },
  sentBack: {
    en: 'Sent back to its editors',
    fr: 'Renvoyée à ses rédacteurs',
    nl: 'Teruggestuurd naar de redacteurs',
  },
  comment: {
    en: 'Comment for the editors',
    fr: 'Commentaire pour les rédacteurs',
    nl: 'Opmerking voor de redacteurs',
  },
  sendNow: { en: 'Send now', fr: 'Envoyer maintenant', nl: 'Nu verzenden' },
  progress: { en: 'Progress', fr: 'Progression', nl: 'Voortgang' },
  queued: { en: 'Queued', fr: 'En file', nl: 'In wachtrij' },
  sentCount: { en: 'Sent', fr: 'Envoyés', nl: 'Verzonden' },
  skipped: { en: 'Skipped', fr: 'Ignorés', nl: 'Overgeslagen' },
  failed: { en: 'Failed', fr: 'Échecs', nl: 'Mislukt' },
} as const satisfies Record<string, Record<UiLang, string>>;
