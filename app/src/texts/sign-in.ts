import type { UiLang } from '../i18n';

/** The sign-in page. */
export const signIn = {
  signIn: { en: 'Sign in', fr: 'Se connecter', nl: 'Aanmelden' },
  signInIntro: {
    en: 'Local stack: choose a demo person. Each has the role shown.',
    fr: 'Pile locale : choisissez une personne de démonstration, avec le rôle indiqué.',
    nl: 'Lokale stack: kies een demopersoon, met de getoonde rol.',
  },
} as const satisfies Record<string, Record<UiLang, string>>;
