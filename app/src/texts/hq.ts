import type { UiLang } from '../i18n';

/** HQ's pages: the posts' wording beside HQ's (on-the-record rule), network broadcasts; the composer's wording toggle. */
export const hq = {
  changedByPosts: { en: 'Changed by posts', fr: 'Modifié par les postes', nl: 'Gewijzigd door posten' },
  unchanged: { en: 'none', fr: 'aucun', nl: 'geen' },
  wordingTitle: { en: 'title', fr: 'titre', nl: 'titel' },
  wordingSummary: { en: 'summary', fr: 'résumé', nl: 'samenvatting' },
  wordingLegend: {
    en: 'Inserted words are underlined, deleted words struck through.',
    fr: 'Les mots ajoutés sont soulignés, les mots supprimés barrés.',
    nl: 'Toegevoegde woorden zijn onderstreept, geschrapte doorgehaald.',
  },
  inserted: { en: 'inserted', fr: 'ajouté', nl: 'toegevoegd' },
  deleted: { en: 'deleted', fr: 'supprimé', nl: 'geschrapt' },
  ourWording: { en: 'Use our wording', fr: 'Utiliser nos mots', nl: 'Onze bewoording gebruiken' },
  ourTitle: { en: 'Our title', fr: 'Notre titre', nl: 'Onze titel' },
  ourSummary: { en: 'Our summary', fr: 'Notre résumé', nl: 'Onze samenvatting' },
  ourWordingNote: {
    en: 'HQ sees the difference from its text.',
    fr: 'HQ voit la différence avec son texte.',
    nl: 'HQ ziet het verschil met zijn tekst.',
  },
  broadcasts: { en: 'Network broadcasts', fr: 'Envois au réseau', nl: 'Zendingen naar het netwerk' },
  newBroadcast: { en: 'New broadcast', fr: 'Nouvel envoi au réseau', nl: 'Nieuwe zending naar het netwerk' },
  broadcastIntro: {
    en: 'One newsletter to everyone subscribed to any post, each person once, in their language. The spokesperson approves it before it is sent.',
    fr: 'Une lettre à toutes les personnes abonnées à un poste, une fois chacune, dans sa langue. Le porte-parole l’approuve avant l’envoi.',
    nl: 'Eén nieuwsbrief aan iedereen die op een post geabonneerd is, één keer per persoon, in zijn taal. De woordvoerder keurt hem goed voor verzending.',
  },
  noBroadcasts: {
    en: 'No broadcast yet.',
    fr: 'Aucun envoi au réseau pour l’instant.',
    nl: 'Nog geen zending naar het netwerk.',
  },
  composeBroadcast: {
    en: 'Compose a network broadcast',
    fr: 'Rédiger un envoi au réseau',
    nl: 'Een zending naar het netwerk opstellen',
  },
} as const satisfies Record<string, Record<UiLang, string>>;
