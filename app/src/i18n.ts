/** The interface in English, French and Dutch: one key, three texts (a missing one does not compile). */
export const LANGS = ['en', 'fr', 'nl'] as const;
export type UiLang = (typeof LANGS)[number];

const TEXTS = {
  appName: { en: 'missive', fr: 'missive', nl: 'missive' },
  skip: { en: 'Skip to content', fr: 'Aller au contenu', nl: 'Naar de inhoud' },
  language: { en: 'Language', fr: 'Langue', nl: 'Taal' },
  signIn: { en: 'Sign in', fr: 'Se connecter', nl: 'Aanmelden' },
  signOut: { en: 'Sign out', fr: 'Se déconnecter', nl: 'Afmelden' },
  signInIntro: {
    en: 'Local stack: choose a demo person. Each has the role shown.',
    fr: 'Pile locale : choisissez une personne de démonstration, avec le rôle indiqué.',
    nl: 'Lokale stack: kies een demopersoon, met de getoonde rol.',
  },
  signedInAs: { en: 'Signed in as', fr: 'Connecté·e en tant que', nl: 'Aangemeld als' },
  'role.post-editor': { en: 'Post editor', fr: 'Rédacteur du poste', nl: 'Redacteur van de post' },
  'role.post-approver': { en: 'Post approver', fr: 'Approbateur du poste', nl: 'Goedkeurder van de post' },
  'role.hq-editor': { en: 'HQ editor', fr: 'Rédacteur HQ', nl: 'HQ-redacteur' },
  'role.spokesperson': { en: 'Spokesperson', fr: 'Porte-parole', nl: 'Woordvoerder' },
  'role.analyst': { en: 'Analyst', fr: 'Analyste', nl: 'Analist' },
  'role.admin': { en: 'Administrator', fr: 'Administrateur', nl: 'Beheerder' },
  editions: { en: 'Editions', fr: 'Éditions', nl: 'Edities' },
  review: { en: 'Review', fr: 'Relecture', nl: 'Nalezen' },
  reports: { en: 'Reports', fr: 'Rapports', nl: 'Rapporten' },
  crisis: { en: 'Crisis alert', fr: 'Alerte de crise', nl: 'Crisiswaarschuwing' },
  newEdition: { en: 'New edition', fr: 'Nouvelle édition', nl: 'Nieuwe editie' },
  title: { en: 'Title', fr: 'Titre', nl: 'Titel' },
  status: { en: 'Status', fr: 'Statut', nl: 'Status' },
  updated: { en: 'Updated', fr: 'Mis à jour', nl: 'Bijgewerkt' },
  open: { en: 'Open', fr: 'Ouvrir', nl: 'Openen' },
  'status.draft': { en: 'Draft', fr: 'Brouillon', nl: 'Concept' },
  'status.in-review': { en: 'In review', fr: 'En relecture', nl: 'Ter nalezing' },
  'status.approved': { en: 'Approved', fr: 'Approuvée', nl: 'Goedgekeurd' },
  'status.scheduled': { en: 'Scheduled', fr: 'Planifiée', nl: 'Gepland' },
  'status.sending': { en: 'Sending', fr: 'En cours d’envoi', nl: 'Wordt verzonden' },
  'status.sent': { en: 'Sent', fr: 'Envoyée', nl: 'Verzonden' },
  'status.cancelled': { en: 'Cancelled', fr: 'Annulée', nl: 'Geannuleerd' },
  compose: { en: 'Compose', fr: 'Rédiger', nl: 'Opstellen' },
  searchContent: {
    en: 'Search central content',
    fr: 'Chercher dans le contenu central',
    nl: 'Centrale inhoud zoeken',
  },
  words: { en: 'Words', fr: 'Mots', nl: 'Woorden' },
  search: { en: 'Search', fr: 'Chercher', nl: 'Zoeken' },
  add: { en: 'Add', fr: 'Ajouter', nl: 'Toevoegen' },
  remove: { en: 'Remove', fr: 'Retirer', nl: 'Verwijderen' },
  moveUp: { en: 'Move up', fr: 'Monter', nl: 'Omhoog' },
  moveDown: { en: 'Move down', fr: 'Descendre', nl: 'Omlaag' },
  chosenItems: {
    en: 'Stories in this edition',
    fr: 'Articles de cette édition',
    nl: 'Artikels in deze editie',
  },
  noItems: {
    en: 'No story yet: add some from the search.',
    fr: 'Aucun article : ajoutez-en depuis la recherche.',
    nl: 'Nog geen artikel: voeg er toe vanuit de zoekopdracht.',
  },
  variant: {
    en: 'Variant (audience × language)',
    fr: 'Variante (public × langue)',
    nl: 'Variant (publiek × taal)',
  },
  subject: { en: 'Subject', fr: 'Objet', nl: 'Onderwerp' },
  intro: { en: 'Introduction', fr: 'Introduction', nl: 'Inleiding' },
  localTitle: { en: 'Local block: title', fr: 'Bloc local : titre', nl: 'Lokaal blok: titel' },
  localText: { en: 'Local block: text', fr: 'Bloc local : texte', nl: 'Lokaal blok: tekst' },
  save: { en: 'Save draft', fr: 'Enregistrer le brouillon', nl: 'Concept opslaan' },
  saved: { en: 'Saved', fr: 'Enregistré', nl: 'Opgeslagen' },
  preview: { en: 'Preview', fr: 'Aperçu', nl: 'Voorbeeld' },
  previewWidth: { en: 'Preview width', fr: 'Largeur de l’aperçu', nl: 'Breedte van het voorbeeld' },
  desktop: { en: 'Desktop', fr: 'Ordinateur', nl: 'Computer' },
  phone: { en: 'Phone', fr: 'Téléphone', nl: 'Telefoon' },
  submit: { en: 'Submit for review', fr: 'Soumettre à relecture', nl: 'Ter nalezing indienen' },
  submitted: { en: 'Submitted for review', fr: 'Soumise à relecture', nl: 'Ter nalezing ingediend' },
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
  testTo: { en: 'Test send to', fr: 'Envoi de test à', nl: 'Testzending naar' },
  testSend: {
    en: 'Send a test of this variant',
    fr: 'Envoyer un test de cette variante',
    nl: 'Een test van deze variant verzenden',
  },
  testSent: { en: 'Test sent to', fr: 'Test envoyé à', nl: 'Test verzonden naar' },
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
  nextSend: { en: 'Next send', fr: 'Prochain envoi', nl: 'Volgende verzending' },
  content: { en: 'Central content', fr: 'Contenu central', nl: 'Centrale inhoud' },
  translations: {
    en: 'Stories and their languages',
    fr: 'Articles et leurs langues',
    nl: 'Artikels en hun talen',
  },
  date: { en: 'Date', fr: 'Date', nl: 'Datum' },
  present: { en: 'translated', fr: 'traduit', nl: 'vertaald' },
  missing: { en: 'missing', fr: 'manquant', nl: 'ontbreekt' },
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
  comments: { en: 'Review comments', fr: 'Commentaires de relecture', nl: 'Opmerkingen bij het nalezen' },
  nothingToReview: {
    en: 'Nothing waits for review.',
    fr: 'Rien n’attend de relecture.',
    nl: 'Niets wacht op nalezing.',
  },
  sendNow: { en: 'Send now', fr: 'Envoyer maintenant', nl: 'Nu verzenden' },
  progress: { en: 'Progress', fr: 'Progression', nl: 'Voortgang' },
  queued: { en: 'Queued', fr: 'En file', nl: 'In wachtrij' },
  sentCount: { en: 'Sent', fr: 'Envoyés', nl: 'Verzonden' },
  skipped: { en: 'Skipped', fr: 'Ignorés', nl: 'Overgeslagen' },
  failed: { en: 'Failed', fr: 'Échecs', nl: 'Mislukt' },
  report: { en: 'Report', fr: 'Rapport', nl: 'Rapport' },
  post: { en: 'Post', fr: 'Poste', nl: 'Post' },
  edition: { en: 'Edition', fr: 'Édition', nl: 'Editie' },
  recipients: { en: 'Recipients', fr: 'Destinataires', nl: 'Ontvangers' },
  opens: { en: 'Opens', fr: 'Ouvertures', nl: 'Geopend' },
  clicks: { en: 'Clicks', fr: 'Clics', nl: 'Kliks' },
  downloadCsv: { en: 'Download CSV', fr: 'Télécharger en CSV', nl: 'CSV downloaden' },
  downloadHtml: { en: 'Download HTML', fr: 'Télécharger en HTML', nl: 'HTML downloaden' },
  posts: { en: 'Posts', fr: 'Postes', nl: 'Posten' },
  message: { en: 'Message', fr: 'Message', nl: 'Bericht' },
  sendAlert: { en: 'Send the alert', fr: 'Envoyer l’alerte', nl: 'Waarschuwing verzenden' },
  alertSent: { en: 'Alert queued', fr: 'Alerte mise en file', nl: 'Waarschuwing in wachtrij' },
  loading: { en: 'Loading…', fr: 'Chargement…', nl: 'Laden…' },
  error: { en: 'Error', fr: 'Erreur', nl: 'Fout' },
  notAllowed: {
    en: 'Your role has no access to this page.',
    fr: 'Votre rôle n’a pas accès à cette page.',
    nl: 'Uw rol heeft geen toegang tot deze pagina.',
  },
} as const satisfies Record<string, Record<UiLang, string>>;

export type TextKey = keyof typeof TEXTS;

const stored = (): UiLang => {
  const l = localStorage.getItem('missive.lang');
  return (LANGS as readonly string[]).includes(l ?? '') ? (l as UiLang) : 'en';
};

let current: UiLang = stored();

export const lang = (): UiLang => current;
export function setLang(l: UiLang): void {
  current = l;
  localStorage.setItem('missive.lang', l);
  document.documentElement.lang = l;
}
export const t = (key: TextKey): string => TEXTS[key][current];
/** For keys built from API values (roles, statuses): the value itself when no text exists. */
export const tv = (prefix: string, value: string): string =>
  (TEXTS as Record<string, Record<UiLang, string>>)[`${prefix}.${value}`]?.[current] ?? value;
