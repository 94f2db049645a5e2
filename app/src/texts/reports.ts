import { reportValues } from '../../../functions/reports/wording-labels';
import type { UiLang } from '../i18n';

/** The analyst's report pages: kinds, filters, downloads. */
export const reports = {
  // Statuses, regions, audience kinds and story kinds: the report downloads' words too.
  ...reportValues,
  reportKind: { en: 'Report on', fr: 'Rapport sur', nl: 'Rapport over' },
  'kind.edition': { en: 'An edition', fr: 'Une édition', nl: 'Een editie' },
  'kind.post': {
    en: 'A post, over a period',
    fr: 'Un poste, sur une période',
    nl: 'Een post, over een periode',
  },
  'kind.network': {
    en: 'The network, over a period',
    fr: 'Le réseau, sur une période',
    nl: 'Het netwerk, over een periode',
  },
  'kind.audience': {
    en: 'An audience kind or a language, across the network',
    fr: 'Un type de public ou une langue, dans tout le réseau',
    nl: 'Een soort publiek of een taal, in het hele netwerk',
  },
  'kind.story': {
    en: 'Central stories, over a period',
    fr: 'Les articles centraux, sur une période',
    nl: 'De centrale artikels, over een periode',
  },
  from: { en: 'From (month)', fr: 'De (mois)', nl: 'Van (maand)' },
  to: { en: 'To (month)', fr: 'À (mois)', nl: 'Tot (maand)' },
  report: { en: 'Report', fr: 'Rapport', nl: 'Rapport' },
  opens: { en: 'Opens', fr: 'Ouvertures', nl: 'Geopend' },
  clicks: { en: 'Clicks', fr: 'Clics', nl: 'Kliks' },
  downloadCsv: { en: 'Download CSV', fr: 'Télécharger en CSV', nl: 'CSV downloaden' },
  downloadHtml: { en: 'Download HTML', fr: 'Télécharger en HTML', nl: 'HTML downloaden' },
  filters: { en: 'Filters', fr: 'Filtres', nl: 'Filters' },
  region: { en: 'Region', fr: 'Région', nl: 'Regio' },
  any: { en: 'All', fr: 'Tous', nl: 'Alle' },
  storyId: {
    en: 'Story (empty: the leaderboard)',
    fr: 'Article (vide : le classement)',
    nl: 'Artikel (leeg: de rangschikking)',
  },
  filterNote: {
    en: 'Filters keep the rows of tables that list posts, audiences or languages; totals and monthly trends stay whole.',
    fr: 'Les filtres gardent les lignes des tableaux qui listent des postes, des publics ou des langues ; les totaux et tendances mensuelles restent entiers.',
    nl: 'Filters houden de rijen van tabellen die posten, publieken of talen tonen; totalen en maandtrends blijven volledig.',
  },
  warnings: { en: 'Warnings', fr: 'Avertissements', nl: 'Waarschuwingen' },
} as const satisfies Record<string, Record<UiLang, string>>;
