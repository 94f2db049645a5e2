import type { UiLang } from '../i18n';

/** The composer. */
export const compose = {
  compose: { en: 'Compose', fr: 'Rédiger', nl: 'Opstellen' },
  searchContent: {
    en: 'Search central content',
    fr: 'Chercher dans le contenu central',
    nl: 'Centrale inhoud zoeken',
  },
  add: { en: 'Add', fr: 'Ajouter', nl: 'Toevoegen' },
  contentKind: { en: 'Kind', fr: 'Type', nl: 'Soort' },
  anyKind: { en: 'Any kind', fr: 'Tous les types', nl: 'Alle soorten' },
  publishedFrom: { en: 'Published from', fr: 'Publié depuis', nl: 'Gepubliceerd vanaf' },
  publishedTo: { en: 'Published until', fr: 'Publié jusqu’au', nl: 'Gepubliceerd tot' },
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
  intro: { en: 'Introduction', fr: 'Introduction', nl: 'Inleiding' },
  localTitle: { en: 'Local block: title', fr: 'Bloc local : titre', nl: 'Lokaal blok: titel' },
  localText: { en: 'Local block: text', fr: 'Bloc local : texte', nl: 'Lokaal blok: tekst' },
  save: { en: 'Save draft', fr: 'Enregistrer le brouillon', nl: 'Concept opslaan' },
  saved: { en: 'Saved', fr: 'Enregistré', nl: 'Opgeslagen' },
  previewWidth: { en: 'Preview width', fr: 'Largeur de l’aperçu', nl: 'Breedte van het voorbeeld' },
  desktop: { en: 'Desktop', fr: 'Ordinateur', nl: 'Computer' },
  phone: { en: 'Phone', fr: 'Téléphone', nl: 'Telefoon' },
  submit: { en: 'Submit for review', fr: 'Soumettre à relecture', nl: 'Ter nalezing indienen' },
  submitted: { en: 'Submitted for review', fr: 'Soumise à relecture', nl: 'Ter nalezing ingediend' },
  testTo: { en: 'Test send to', fr: 'Envoi de test à', nl: 'Testzending naar' },
  testSend: {
    en: 'Send a test of this variant',
    fr: 'Envoyer un test de cette variante',
    nl: 'Een test van deze variant verzenden',
  },
  testSent: { en: 'Test sent to', fr: 'Test envoyé à', nl: 'Test verzonden naar' },
} as const satisfies Record<string, Record<UiLang, string>>;
