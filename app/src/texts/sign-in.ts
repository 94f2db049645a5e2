import type { UiLang } from '../i18n';

/** The sign-in page. */
export const signIn = {
  signIn: { en: 'Sign in', fr: 'Se connecter', nl: 'Aanmelden' },
  signInIntro: {
    en: 'Local stack: choose a demo person. Each has the role shown.',
    fr: 'Pile locale : choisissez une personne de démonstration, avec le rôle indiqué.',
    nl: 'Lokale stack: kies een demopersoon, met de getoonde rol.',
  },
  signInCognitoIntro: {
    en: 'Sign in with your ministry staff account: the sign-in page asks for your password and your one-time code.',
    fr: 'Connectez-vous avec votre compte du personnel du ministère : la page de connexion demande votre mot de passe et votre code à usage unique.',
    nl: 'Meld u aan met uw personeelsaccount van het ministerie: de aanmeldpagina vraagt uw wachtwoord en uw eenmalige code.',
  },
  signInContinue: {
    en: 'Continue to sign-in',
    fr: 'Continuer vers la connexion',
    nl: 'Verder naar aanmelden',
  },
  signingIn: { en: 'Signing in…', fr: 'Connexion en cours…', nl: 'Bezig met aanmelden…' },
} as const satisfies Record<string, Record<UiLang, string>>;
