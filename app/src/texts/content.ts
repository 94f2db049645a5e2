import type { UiLang } from '../i18n';

/** The central content browser. */
export const content = {
  translations: {
    en: 'Stories and their languages',
    fr: 'Articles et leurs langues',
    nl: 'Artikels en hun talen',
  },
  present: { en: 'translated', fr: 'traduit', nl: 'vertaald' },
  missing: { en: 'missing', fr: 'manquant', nl: 'ontbreekt' },
} as const satisfies Record<string, Record<UiLang, string>>;
