import { contentId } from '../content/content';
import { stableId } from '../core/ids';
import type { Language, Post } from '../core/model';
import { HQ_POST } from '../core/model';
import type { Edition, Variant } from '../editions/model';

/**
 * One approved edition per seeded post, "ready to send": a variant for each of the
 * post's audiences and languages, built from the sample central content (the ids
 * are those the sample feeds produce) and local blocks where no central content
 * exists in a language (German).
 */

const central = (slug: string, language: Language) => contentId(language, `focus-${slug}-${language}`);
const HAS_CENTRAL: readonly Language[] = ['fr', 'nl', 'en'];

const WORDS: Record<
  Language,
  {
    subject: string;
    intro: (city: string) => string;
    local: [string, string];
    consular: [string, string];
    cta: string;
    month: string;
  }
> = {
  fr: {
    subject: 'Focus on Belgium',
    month: 'novembre 2026',
    intro: (city) => `Voici les nouvelles de Belgique et de notre poste à ${city} pour ce mois de novembre.`,
    local: [
      'Réception de fin d’année',
      'Nous aurons le plaisir de vous accueillir à notre réception de fin d’année.\n\nInscription obligatoire avant le 10 décembre.',
    ],
    consular: [
      'Horaires des fêtes',
      'Notre section consulaire sera fermée du 24 décembre au 2 janvier.\n\nEn cas d’urgence, appelez le numéro de permanence.',
    ],
    cta: 'Visiter notre site',
  },
  nl: {
    subject: 'Focus on Belgium',
    month: 'november 2026',
    intro: (city) => `Hier is het nieuws uit België en van onze post in ${city} voor november.`,
    local: [
      'Eindejaarsreceptie',
      'Graag verwelkomen wij u op onze eindejaarsreceptie.\n\nInschrijven verplicht voor 10 december.',
    ],
    consular: [
      'Openingsuren tijdens de feestdagen',
      'Onze consulaire afdeling is gesloten van 24 december tot 2 januari.\n\nIn noodgevallen belt u het permanentienummer.',
    ],
    cta: 'Bezoek onze website',
  },
  en: {
    subject: 'Focus on Belgium',
    month: 'November 2026',
    intro: (city) => `Here is the news from Belgium and from our post in ${city} for November.`,
    local: [
      'Year-end reception',
      'We look forward to welcoming you at our year-end reception.\n\nPlease register before 10 December.',
    ],
    consular: [
      'Holiday opening hours',
      'Our consular section is closed from 24 December to 2 January.\n\nIn an emergency, call the on-call number.',
    ],
    cta: 'Visit our website',
  },
  de: {
    subject: 'Focus on Belgium',
    month: 'November 2026',
    intro: (city) =>
      `Hier sind die Neuigkeiten aus Belgien und von unserer Vertretung in ${city} für November.`,
    local: [
      'Jahresempfang',
      'Wir freuen uns, Sie zu unserem Jahresempfang begrüßen zu dürfen.\n\nAnmeldung bis zum 10. Dezember.',
    ],
    consular: [
      'Öffnungszeiten über die Feiertage',
      'Unsere Konsularabteilung ist vom 24. Dezember bis 2. Januar geschlossen.\n\nIn Notfällen wählen Sie die Bereitschaftsnummer.',
    ],
    cta: 'Unsere Website besuchen',
  },
};

/** Cities as each language writes them (the rest are written alike): every word of a variant in its language. */
const CITY: Record<string, Partial<Record<Language, string>>> = {
  Brussels: { fr: 'Bruxelles', nl: 'Brussel', de: 'Brüssel' },
  Geneva: { fr: 'Genève', nl: 'Genève', de: 'Genf' },
  Tokyo: { nl: 'Tokio', de: 'Tokio' },
  'New Delhi': { de: 'Neu-Delhi' },
};
const cityIn = (post: Post, language: Language) => CITY[post.city]?.[language] ?? post.city;

const ARTICLE_FOR: Record<string, string> = {
  economic: 'port-antwerp-bruges',
  cultural: 'horta-houses',
  consular: 'consular-online',
};

function variant(post: Post, audienceId: string, kind: string, language: Language): Variant {
  const w = WORDS[language];
  const city = cityIn(post, language);
  const blocks: Variant['blocks'] = [];
  if (HAS_CENTRAL.includes(language)) {
    blocks.push({ type: 'central', item: central(ARTICLE_FOR[kind] ?? 'atomium-renovation', language) });
    blocks.push({ type: 'famous-belgian', item: central('herge', language) });
    blocks.push({
      type: 'events',
      items: ['europalia', 'magritte-exhibition', 'queen-elisabeth'].map((s) => central(s, language)),
      local: [],
    });
  }
  blocks.push({ type: 'local', title: w.local[0], text: w.local[1] });
  if (kind === 'consular') blocks.push({ type: 'consular', title: w.consular[0], text: w.consular[1] });
  blocks.push({ type: 'cta', label: w.cta, url: `https://${post.code}.diplomatie.example.org/${language}` });
  return {
    audience: audienceId,
    language,
    title: post.code === HQ_POST ? `Focus on Belgium – ${w.month}` : `Focus on Belgium – ${city}, ${w.month}`,
    subject: `${w.subject} – ${w.month} · ${city}`,
    preheader: w.intro(city),
    intro: w.intro(city),
    blocks,
  };
}

export function seedEditions(posts: readonly Post[], at: string): Edition[] {
  return posts.map((post) => ({
    id: stableId('ed', `seed-${post.code}-2026-11`),
    post: post.code,
    title:
      post.code === HQ_POST
        ? 'Focus on Belgium – November 2026'
        : `Focus on Belgium – ${post.city}, November 2026`,
    status: 'approved',
    sensitive: false,
    author: `seed-editor-${post.code}`,
    approver: post.code === HQ_POST ? 'seed-spokesperson' : `seed-approver-${post.code}`,
    createdAt: at,
    updatedAt: at,
    version: 1,
    revision: 1,
    variants: post.audiences.flatMap((a) => post.languages.map((l) => variant(post, a.id, a.kind, l))),
  }));
}
