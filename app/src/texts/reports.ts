import type { UiLang } from '../i18n';

/** The analyst's report pages. */
export const reports = {
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
  from: { en: 'From (month)', fr: 'De (mois)', nl: 'Van (maand)' },
  to: { en: 'To (month)', fr: 'À (mois)', nl: 'Tot (maand)' },
  report: { en: 'Report', fr: 'Rapport', nl: 'Rapport' },
  opens: { en: 'Opens', fr: 'Ouvertures', nl: 'Geopend' },
  clicks: { en: 'Clicks', fr: 'Clics', nl: 'Kliks' },
  downloadCsv: { en: 'Download CSV', fr: 'Télécharger en CSV', nl: 'CSV downloaden' },
  downloadHtml: { en: 'Download HTML', fr: 'Télécharger en HTML', nl: 'HTML downloaden' },
} as const satisfies Record<string, Record<UiLang, string>>;
