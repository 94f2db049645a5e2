/**
 * Generates seeds/subscribers.csv and seeds/suppressions.csv: about 2,000 fictional
 * people on reserved domains (example.com/.org/.net), some subscribed to several
 * posts in different languages, so that broadcast deduplication and language choice
 * are exercised. Deterministic: the same seed gives the same files.
 *
 *   npx tsx seeds/generate-subscribers.ts     (rewrites both files)
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';

interface Region {
  post: string;
  size: number;
  languages: [string, number][];
  audiences: [string, number][];
  first: string[];
  last: string[];
}

const BELGIAN_FIRST = [
  'Lucas',
  'Emma',
  'Louis',
  'Olivia',
  'Noah',
  'Louise',
  'Arthur',
  'Mila',
  'Jules',
  'Elise',
  'Wout',
  'Fien',
  'Lotte',
  'Thibault',
  'Manon',
  'Bram',
  'Marie',
  'Pieter',
  'Sofie',
  'Nathalie',
];
const BELGIAN_LAST = [
  'Peeters',
  'Janssens',
  'Maes',
  'Jacobs',
  'Mertens',
  'Willems',
  'Claes',
  'Goossens',
  'Wouters',
  'Dubois',
  'Lambert',
  'Dupont',
  'Martin',
  'Simon',
  'Declercq',
  'Lemaire',
  'Vandenberghe',
  'De Smet',
  'Leroy',
  'Hermans',
];

const REGIONS: Region[] = [
  {
    post: 'tokyo',
    size: 300,
    languages: [
      ['en', 6],
      ['fr', 2],
      ['nl', 2],
    ],
    audiences: [
      ['economic', 4],
      ['cultural', 4],
      ['consular', 2],
    ],
    first: ['Haruto', 'Yui', 'Sota', 'Aoi', 'Ren', 'Hina', 'Kenji', 'Sakura', 'Takumi', 'Yuki'],
    last: [
      'Sato',
      'Suzuki',
      'Takahashi',
      'Tanaka',
      'Watanabe',
      'Ito',
      'Yamamoto',
      'Nakamura',
      'Kobayashi',
      'Kato',
    ],
  },
  {
    post: 'washington',
    size: 450,
    languages: [
      ['en', 7],
      ['fr', 1.5],
      ['nl', 1.5],
    ],
    audiences: [
      ['economic', 3],
      ['cultural', 3],
      ['consular', 2],
      ['congress', 1],
    ],
    first: [
      'James',
      'Mary',
      'Michael',
      'Patricia',
      'David',
      'Jennifer',
      'Daniel',
      'Linda',
      'Robert',
      'Sarah',
    ],
    last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Garcia', 'Wilson', 'Moore'],
  },
  {
    post: 'kinshasa',
    size: 300,
    languages: [
      ['fr', 7],
      ['nl', 2],
      ['en', 1],
    ],
    audiences: [
      ['economic', 3],
      ['cultural', 3],
      ['consular', 4],
    ],
    first: [
      'Patrice',
      'Grace',
      'Joseph',
      'Esther',
      'Christian',
      'Nadine',
      'Fiston',
      'Ruth',
      'Cedric',
      'Merveille',
    ],
    last: [
      'Mukendi',
      'Kabila',
      'Tshibanda',
      'Ilunga',
      'Kasongo',
      'Mbuyi',
      'Lukusa',
      'Ngoy',
      'Kalonji',
      'Mutombo',
    ],
  },
  {
    post: 'berlin',
    size: 350,
    languages: [
      ['de', 6],
      ['fr', 1.5],
      ['nl', 1.5],
      ['en', 1],
    ],
    audiences: [
      ['economic', 4],
      ['cultural', 4],
      ['consular', 2],
    ],
    first: ['Lukas', 'Anna', 'Felix', 'Lena', 'Jonas', 'Laura', 'Maximilian', 'Julia', 'Paul', 'Hannah'],
    last: [
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Schulz',
      'Hoffmann',
    ],
  },
  {
    post: 'new-delhi',
    size: 200,
    languages: [
      ['en', 8],
      ['fr', 1],
      ['nl', 1],
    ],
    audiences: [
      ['economic', 5],
      ['cultural', 3],
      ['consular', 2],
    ],
    first: ['Aarav', 'Ananya', 'Vivaan', 'Diya', 'Arjun', 'Priya', 'Rohan', 'Kavya', 'Ishaan', 'Meera'],
    last: ['Sharma', 'Verma', 'Gupta', 'Patel', 'Singh', 'Iyer', 'Reddy', 'Nair', 'Mehta', 'Joshi'],
  },
  {
    post: 'sao-paulo',
    size: 150,
    languages: [
      ['en', 5],
      ['fr', 2],
      ['nl', 3],
    ],
    audiences: [
      ['economic', 6],
      ['consular', 4],
    ],
    first: [
      'Gabriel',
      'Ana',
      'Pedro',
      'Beatriz',
      'Mateus',
      'Larissa',
      'Rafael',
      'Camila',
      'Thiago',
      'Juliana',
    ],
    last: [
      'Silva',
      'Santos',
      'Oliveira',
      'Souza',
      'Lima',
      'Pereira',
      'Costa',
      'Rodrigues',
      'Almeida',
      'Ferreira',
    ],
  },
  {
    post: 'geneva',
    size: 120,
    languages: [
      ['fr', 5],
      ['en', 4],
      ['nl', 1],
    ],
    audiences: [
      ['multilateral', 6],
      ['cultural', 4],
    ],
    first: ['Laurent', 'Chloé', 'Nicolas', 'Sarah', 'Olivier', 'Léa', 'Marc', 'Camille', 'Yves', 'Aline'],
    last: ['Favre', 'Rochat', 'Bonvin', 'Perret', 'Morel', 'Girard', 'Mercier', 'Blanc', 'Rey', 'Fontaine'],
  },
  {
    post: 'casablanca',
    size: 130,
    languages: [
      ['fr', 8],
      ['nl', 2],
    ],
    audiences: [
      ['consular', 6],
      ['economic', 4],
    ],
    first: ['Youssef', 'Salma', 'Mehdi', 'Imane', 'Omar', 'Khadija', 'Karim', 'Nadia', 'Amine', 'Sara'],
    last: [
      'El Amrani',
      'Benali',
      'Alaoui',
      'Bennani',
      'Tazi',
      'Idrissi',
      'Chraibi',
      'Berrada',
      'Fassi',
      'Ziani',
    ],
  },
];

/** mulberry32: a small deterministic PRNG, enough for sample data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(seed = 20261125) {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const weighted = (xs: readonly [string, number][]): string => {
    const total = xs.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [v, w] of xs) {
      r -= w;
      if (r <= 0) return v;
    }
    return xs[xs.length - 1]?.[0] ?? '';
  };
  const slug = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z]+/g, '');
  const domains = ['example.com', 'example.org', 'example.net'];
  const sources = [
    'web-form',
    'web-form',
    'web-form',
    'event-signup',
    'consular-registration',
    'import:mailchimp',
  ];
  const statuses: [string, number][] = [
    ['confirmed', 86],
    ['pending', 8],
    ['unsubscribed', 6],
  ];
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  const used = new Set<string>();
  const rows: string[][] = [];
  const people: { email: string; region: Region }[] = [];

  for (const region of REGIONS) {
    for (let i = 0; i < region.size; i++) {
      // One in four people on a post is a Belgian expatriate with a Belgian name.
      const belgian = rand() < 0.25;
      const first = pick(belgian ? BELGIAN_FIRST : region.first);
      const last = pick(belgian ? BELGIAN_LAST : region.last);
      let email = `${slug(first)}.${slug(last)}@${pick(domains)}`;
      for (let n = 2; used.has(email); n++) email = `${slug(first)}.${slug(last)}${n}@${pick(domains)}`;
      used.add(email);
      const name = `${first} ${last}`;
      const preferred = weighted(region.languages);
      const consentAt = new Date(start + Math.floor(rand() * span)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const source = pick(sources);
      const count = rand() < 0.35 ? 2 : 1;
      const chosen = new Set<string>();
      while (chosen.size < Math.min(count, region.audiences.length)) chosen.add(weighted(region.audiences));
      for (const audience of chosen) {
        rows.push([
          email,
          name,
          preferred,
          region.post,
          audience,
          preferred,
          weighted(statuses),
          consentAt,
          source,
        ]);
      }
      people.push({ email, region });
    }
  }

  // About one person in eight also follows a second post, often in another language:
  // the HQ broadcast must reach them once, in the language the documented rule picks.
  for (const person of people) {
    if (rand() >= 0.125) continue;
    const other = pick(REGIONS.filter((r) => r !== person.region));
    const first = rows.find((r) => r[0] === person.email) as string[];
    const language = weighted(other.languages);
    const consentAt = new Date(start + Math.floor(rand() * span)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    rows.push([
      person.email,
      first[1] as string,
      first[2] as string,
      other.post,
      weighted(other.audiences),
      language,
      weighted(statuses),
      consentAt,
      pick(sources),
    ]);
  }

  const header = [
    'email',
    'name',
    'preferred_language',
    'post',
    'audience',
    'language',
    'status',
    'consent_at',
    'consent_source',
  ];
  const subscribers = stringify([header, ...rows]);

  // A few addresses bounced or complained: suppressed network-wide, never mailed.
  const suppressed = people
    .filter(() => rand() < 0.01)
    .map((p, i) => [
      p.email,
      i % 4 === 0 ? 'complaint' : 'bounce',
      new Date(start + Math.floor(rand() * span)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ]);
  const suppressions = stringify([['email', 'reason', 'at'], ...suppressed]);
  return { subscribers, suppressions };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = dirname(fileURLToPath(import.meta.url));
  const { subscribers, suppressions } = generate();
  writeFileSync(join(dir, 'subscribers.csv'), subscribers);
  writeFileSync(join(dir, 'suppressions.csv'), suppressions);
  console.log('wrote seeds/subscribers.csv and seeds/suppressions.csv');
}
