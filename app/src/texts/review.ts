import type { UiLang } from '../i18n';

/** The review queue. */
export const review = {
  nothingToReview: {
    en: 'Nothing waits for review.',
    fr: 'Rien n’attend de relecture.',
    nl: 'Niets wacht op nalezing.',
  },
} as const satisfies Record<string, Record<UiLang, string>>;
