import { HQ_POST, type Post } from '../core/model';

/**
 * The monthly digest's words in the languages staff read it in (English, French,
 * Dutch). Staff have no language of their own (the web app keeps its choice in the
 * browser), so a post's digest is in the post's default language, and in English when
 * that is none of these three (German). HQ gets English, and also its own default
 * language when that is French or Dutch: one message each.
 */
export const DIGEST_LANGUAGES = ['en', 'fr', 'nl'] as const;
export type DigestLanguage = (typeof DIGEST_LANGUAGES)[number];

const isDigestLanguage = (l: string): l is DigestLanguage =>
  (DIGEST_LANGUAGES as readonly string[]).includes(l);

/** The languages a post's digest is written in, one message each. */
export function digestLanguages(post: Pick<Post, 'code' | 'defaultLanguage'>): DigestLanguage[] {
  const own = isDigestLanguage(post.defaultLanguage) ? post.defaultLanguage : 'en';
  return post.code === HQ_POST && own !== 'en' ? ['en', own] : [own];
}

export interface Plural {
  readonly one: string;
  readonly other: string;
}

export interface DigestLabels {
  /** {about}: the post's name or the network; {month}: "March 2026". */
  readonly subject: string;
  readonly network: string;
  /** Under the heading: {month}. */
  readonly lead: string;
  readonly leadNetwork: string;
  readonly keyFigures: string;
  readonly figure: string;
  readonly value: string;
  readonly networkMedian: string;
  readonly editions: string;
  readonly recipients: string;
  readonly delivered: string;
  readonly openRateHuman: string;
  readonly clickThroughRateHuman: string;
  readonly unsubscribes: string;
  readonly hardBounceRate: string;
  readonly complaintRate: string;
  readonly spamRate: string;
  readonly engagementRateHuman: string;
  readonly newSubscriptions: string;
  readonly netGrowth: string;
  readonly adoption: string;
  readonly hqBroadcasts: string;
  readonly crisisAlerts: string;
  /** The two bars of a row, each with its number: short names. */
  readonly open: string;
  readonly clicks: string;
  /** {month} */
  readonly chartEditions: string;
  readonly chartTrend: string;
  readonly chartPosts: string;
  /** Under the ranked posts when some are left out: {n}. */
  readonly morePosts: Plural;
  /** {month} */
  readonly noEditions: string;
  /** {n}, by the language's plural rule (Intl.PluralRules: one, other). */
  readonly recipientsCount: Plural;
  readonly editionsCount: Plural;
  /** Between a label and its value in the text part (French puts a space before). */
  readonly colon: string;
  readonly warningsTitle: string;
  /** {bounce}, {complaint}, {spam}: the lines. */
  readonly warningsIntro: string;
  /** {about}, {figure}, {value}, {line}, {whose} */
  readonly warning: string;
  /** {title} */
  readonly edition: string;
  readonly sesReview: string;
  readonly gmail: string;
  readonly link: string;
  /** {about}: the mailbox's owner. */
  readonly footer: string;
}

export const DIGEST_LABELS: Readonly<Record<DigestLanguage, DigestLabels>> = {
  en: {
    subject: 'Monthly usage report: {about}, {month}',
    network: 'the network',
    lead: 'Your newsletters in {month}, in figures.',
    leadNetwork: 'The network’s newsletters in {month}, in figures.',
    keyFigures: 'Key figures',
    figure: 'Figure',
    value: 'Value',
    networkMedian: 'Network median',
    editions: 'Editions',
    recipients: 'Recipients',
    delivered: 'Delivered',
    openRateHuman: 'Open rate (human)',
    clickThroughRateHuman: 'Click-through rate (human)',
    unsubscribes: 'Unsubscribes',
    hardBounceRate: 'Hard bounce rate',
    complaintRate: 'Complaint rate',
    spamRate: 'Spam rate',
    engagementRateHuman: 'Engagement rate (90 days, human)',
    newSubscriptions: 'New subscriptions',
    netGrowth: 'Net list growth',
    adoption: 'Posts that sent a newsletter',
    hqBroadcasts: 'Headquarters broadcasts',
    crisisAlerts: 'Crisis alerts',
    open: 'opens',
    clicks: 'clicks',
    chartEditions: 'Editions sent in {month}: open rate and click-through rate (human)',
    chartTrend: 'The last six months: open rate and click-through rate (human)',
    chartPosts: 'Posts by open rate (human)',
    morePosts: { one: 'One more post in the full report.', other: '{n} more posts in the full report.' },
    noEditions: 'No edition was sent in {month}.',
    recipientsCount: { one: '{n} recipient', other: '{n} recipients' },
    editionsCount: { one: '{n} edition', other: '{n} editions' },
    colon: ': ',
    warningsTitle: 'Deliverability warnings',
    warningsIntro:
      'These figures reach a line past which mail is at risk: Amazon SES reviews a sending account at a bounce rate of {bounce} or a complaint rate of {complaint}, and Gmail filters senders whose spam rate reaches {spam}.',
    warning: '{about}: {figure} {value} reaches the line of {line} ({whose}).',
    edition: 'Edition “{title}”',
    sesReview: 'Amazon SES review',
    gmail: 'Gmail',
    link: 'Open the full report in the web app',
    footer:
      'You receive this report because this address is the mailbox of this post ({about}). It is sent on the first working day of each month. Human figures leave out opens and clicks made by machines (Apple Mail Privacy Protection, security scanners).',
  },
  fr: {
    subject: 'Rapport d’utilisation mensuel : {about}, {month}',
    network: 'le réseau',
    lead: 'Vos newsletters en {month}, en chiffres.',
    leadNetwork: 'Les newsletters du réseau en {month}, en chiffres.',
    keyFigures: 'Chiffres clés',
    figure: 'Indicateur',
    value: 'Valeur',
    networkMedian: 'Médiane du réseau',
    editions: 'Éditions',
    recipients: 'Destinataires',
    delivered: 'Distribués',
    openRateHuman: 'Taux d’ouverture (humains)',
    clickThroughRateHuman: 'Taux de clics (humains)',
    unsubscribes: 'Désabonnements',
    hardBounceRate: 'Taux de rebonds définitifs',
    complaintRate: 'Taux de plaintes',
    spamRate: 'Taux de spam',
    engagementRateHuman: 'Taux d’engagement (90 jours, humains)',
    newSubscriptions: 'Nouvelles inscriptions',
    netGrowth: 'Croissance nette de la liste',
    adoption: 'Postes ayant envoyé une newsletter',
    hqBroadcasts: 'Envois de l’administration centrale',
    crisisAlerts: 'Alertes de crise',
    open: 'ouvertures',
    clicks: 'clics',
    chartEditions: 'Éditions envoyées en {month} : taux d’ouverture et de clics (humains)',
    chartTrend: 'Les six derniers mois : taux d’ouverture et de clics (humains)',
    chartPosts: 'Postes par taux d’ouverture (humains)',
    morePosts: {
      one: 'Un poste de plus dans le rapport complet.',
      other: '{n} postes de plus dans le rapport complet.',
    },
    noEditions: 'Aucune édition n’a été envoyée en {month}.',
    recipientsCount: { one: '{n} destinataire', other: '{n} destinataires' },
    editionsCount: { one: '{n} édition', other: '{n} éditions' },
    colon: ' : ',
    warningsTitle: 'Alertes de délivrabilité',
    warningsIntro:
      'Ces chiffres atteignent un seuil au-delà duquel vos envois sont menacés : Amazon SES examine un compte d’envoi à {bounce} de rebonds ou {complaint} de plaintes, et Gmail filtre les expéditeurs dont le taux de spam atteint {spam}.',
    warning: '{about} : {figure} {value} atteint le seuil de {line} ({whose}).',
    edition: 'Édition « {title} »',
    sesReview: 'examen par Amazon SES',
    gmail: 'Gmail',
    link: 'Ouvrir le rapport complet dans l’application',
    footer:
      'Vous recevez ce rapport parce que cette adresse est la boîte aux lettres de ce poste ({about}). Il est envoyé le premier jour ouvrable de chaque mois. Les chiffres « humains » excluent les ouvertures et les clics automatiques (protection de la vie privée d’Apple Mail, scanners de sécurité).',
  },
  nl: {
    subject: 'Maandelijks gebruiksrapport: {about}, {month}',
    network: 'het netwerk',
    lead: 'Uw nieuwsbrieven in {month}, in cijfers.',
    leadNetwork: 'De nieuwsbrieven van het netwerk in {month}, in cijfers.',
    keyFigures: 'Kerncijfers',
    figure: 'Cijfer',
    value: 'Waarde',
    networkMedian: 'Mediaan van het netwerk',
    editions: 'Edities',
    recipients: 'Ontvangers',
    delivered: 'Afgeleverd',
    openRateHuman: 'Openingsratio (mensen)',
    clickThroughRateHuman: 'Klikratio (mensen)',
    unsubscribes: 'Uitschrijvingen',
    hardBounceRate: 'Percentage harde bounces',
    complaintRate: 'Percentage klachten',
    spamRate: 'Spampercentage',
    engagementRateHuman: 'Betrokkenheid (90 dagen, mensen)',
    newSubscriptions: 'Nieuwe inschrijvingen',
    netGrowth: 'Nettogroei van de lijst',
    adoption: 'Posten die een nieuwsbrief verstuurden',
    hqBroadcasts: 'Verzendingen van het hoofdbestuur',
    crisisAlerts: 'Crisisberichten',
    open: 'openingen',
    clicks: 'kliks',
    chartEditions: 'Edities verstuurd in {month}: openingsratio en klikratio (mensen)',
    chartTrend: 'De laatste zes maanden: openingsratio en klikratio (mensen)',
    chartPosts: 'Posten naar openingsratio (mensen)',
    morePosts: {
      one: 'Nog één post in het volledige rapport.',
      other: 'Nog {n} posten in het volledige rapport.',
    },
    noEditions: 'In {month} werd geen editie verstuurd.',
    recipientsCount: { one: '{n} ontvanger', other: '{n} ontvangers' },
    editionsCount: { one: '{n} editie', other: '{n} edities' },
    colon: ': ',
    warningsTitle: 'Waarschuwingen over de aflevering',
    warningsIntro:
      'Deze cijfers bereiken een grens waarboven uw berichten gevaar lopen: Amazon SES onderzoekt een verzendaccount bij {bounce} bounces of {complaint} klachten, en Gmail filtert afzenders met een spampercentage van {spam}.',
    warning: '{about}: {figure} {value} bereikt de grens van {line} ({whose}).',
    edition: 'Editie “{title}”',
    sesReview: 'onderzoek door Amazon SES',
    gmail: 'Gmail',
    link: 'Het volledige rapport openen in de webapp',
    footer:
      'U ontvangt dit rapport omdat dit adres de mailbox van deze post ({about}) is. Het wordt verstuurd op de eerste werkdag van elke maand. Cijfers voor „mensen” laten openingen en kliks door machines weg (Apple Mail Privacy Protection, beveiligingsscanners).',
  },
};

/** A label with its {placeholders} filled (values as given: the caller escapes for HTML). */
export const fill = (template: string, values: Readonly<Record<string, string | number>>): string =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
