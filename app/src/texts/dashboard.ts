import type { UiLang } from '../i18n';

/** The post editor's dashboard: editions with their last results, lists, growth. */
export const dashboard = {
  newEdition: { en: 'New edition', fr: 'Nouvelle édition', nl: 'Nieuwe editie' },
  updated: { en: 'Updated', fr: 'Mis à jour', nl: 'Bijgewerkt' },
  nextSend: { en: 'Next send', fr: 'Prochain envoi', nl: 'Volgende verzending' },
  openRateHuman: { en: 'Open rate (human)', fr: 'Taux d’ouverture (humains)', nl: 'Openingsratio (mensen)' },
  ctrHuman: { en: 'CTR (human)', fr: 'Taux de clics (humains)', nl: 'Doorklikratio (mensen)' },
  lists: { en: 'Lists', fr: 'Listes', nl: 'Lijsten' },
  listSizes: {
    en: 'Confirmed subscribers per audience and language',
    fr: 'Abonnés confirmés par public et par langue',
    nl: 'Bevestigde abonnees per publiek en taal',
  },
  audience: { en: 'Audience', fr: 'Public', nl: 'Publiek' },
  total: { en: 'Total', fr: 'Total', nl: 'Totaal' },
  growth: { en: 'List growth', fr: 'Évolution des listes', nl: 'Groei van de lijsten' },
  growthPerMonth: {
    en: 'List growth per month (last twelve months)',
    fr: 'Évolution des listes par mois (douze derniers mois)',
    nl: 'Groei van de lijsten per maand (laatste twaalf maanden)',
  },
  month: { en: 'Month', fr: 'Mois', nl: 'Maand' },
  'growth.new': { en: 'New', fr: 'Nouveaux', nl: 'Nieuw' },
  'growth.confirmed': { en: 'Confirmed', fr: 'Confirmés', nl: 'Bevestigd' },
  'growth.unsubscribed': { en: 'Unsubscribed', fr: 'Désabonnés', nl: 'Uitgeschreven' },
  'growth.cleaned': { en: 'Cleaned (suppressed)', fr: 'Retirés (bloqués)', nl: 'Opgeschoond (geblokkeerd)' },
  'growth.net': { en: 'Net', fr: 'Solde', nl: 'Netto' },
  noEditions: {
    en: 'No edition yet.',
    fr: 'Aucune édition pour l’instant.',
    nl: 'Nog geen editie.',
  },
} as const satisfies Record<string, Record<UiLang, string>>;
