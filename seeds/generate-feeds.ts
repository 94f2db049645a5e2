/**
 * Generates the sample Focus on Belgium feeds in seeds/feeds/ from
 * seeds/content-items.json: French and Dutch as RSS 2.0, English as Atom, events
 * with the RSS 1.0 events module (ev:startdate, ev:enddate, ev:location).
 *
 *   npx tsx seeds/generate-feeds.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLBuilder } from 'fast-xml-parser';

type Lang = 'fr' | 'nl' | 'en';
interface SeedItem {
  slug: string;
  kind: 'article' | 'event' | 'famous-belgian';
  date: string;
  event?: { start: string; end: string; place: string };
  fr: [string, string];
  nl: [string, string];
  en: [string, string];
}

const SITE = 'https://focusonbelgium.example.org';
const CATEGORY: Record<Lang, Record<SeedItem['kind'], string>> = {
  fr: { article: 'Article', event: 'Événement', 'famous-belgian': 'Belge célèbre' },
  nl: { article: 'Artikel', event: 'Evenement', 'famous-belgian': 'Bekende Belg' },
  en: { article: 'Article', event: 'Event', 'famous-belgian': 'Famous Belgian' },
};
const READ_MORE: Record<Lang, string> = { fr: 'Lire la suite', nl: 'Lees meer', en: 'Read more' };
const TITLE: Record<Lang, string> = {
  fr: 'Focus on Belgium - Actualités',
  nl: 'Focus on Belgium - Nieuws',
  en: 'Focus on Belgium - News',
};

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  suppressEmptyNode: true,
});
const rfc822 = (iso: string) => new Date(`${iso}T09:00:00Z`).toUTCString();

function body(item: SeedItem, lang: Lang): string {
  const [, summary] = item[lang];
  return `<p>${summary}</p><p><a href="${SITE}/${lang}/${item.slug}">${READ_MORE[lang]}</a></p>`;
}

function event(item: SeedItem) {
  return item.event
    ? { 'ev:startdate': item.event.start, 'ev:enddate': item.event.end, 'ev:location': item.event.place }
    : {};
}

export function rss(items: SeedItem[], lang: Lang): string {
  const doc = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    rss: {
      '@version': '2.0',
      '@xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
      '@xmlns:ev': 'http://purl.org/rss/1.0/modules/event/',
      channel: {
        title: TITLE[lang],
        link: `${SITE}/${lang}`,
        description: TITLE[lang],
        language: lang,
        item: items.map((item) => ({
          title: item[lang][0],
          link: `${SITE}/${lang}/${item.slug}`,
          guid: { '@isPermaLink': 'false', '#text': `focus-${item.slug}-${lang}` },
          pubDate: rfc822(item.date),
          category: CATEGORY[lang][item.kind],
          description: item[lang][1],
          'content:encoded': body(item, lang),
          enclosure: { '@url': `${SITE}/img/${item.slug}.jpg`, '@type': 'image/jpeg', '@length': '0' },
          ...event(item),
        })),
      },
    },
  };
  return builder.build(doc);
}

export function atom(items: SeedItem[], lang: Lang): string {
  const doc = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    feed: {
      '@xmlns': 'http://www.w3.org/2005/Atom',
      '@xmlns:ev': 'http://purl.org/rss/1.0/modules/event/',
      title: TITLE[lang],
      id: `${SITE}/${lang}`,
      updated: `${items
        .map((i) => i.date)
        .sort()
        .at(-1)}T09:00:00Z`,
      link: { '@href': `${SITE}/${lang}` },
      entry: items.map((item) => ({
        title: item[lang][0],
        id: `focus-${item.slug}-${lang}`,
        link: [
          { '@rel': 'alternate', '@href': `${SITE}/${lang}/${item.slug}` },
          { '@rel': 'enclosure', '@type': 'image/jpeg', '@href': `${SITE}/img/${item.slug}.jpg` },
        ],
        published: `${item.date}T09:00:00Z`,
        updated: `${item.date}T09:00:00Z`,
        category: { '@term': CATEGORY[lang][item.kind] },
        summary: item[lang][1],
        content: { '@type': 'html', '#text': body(item, lang) },
        ...event(item),
      })),
    },
  };
  return builder.build(doc);
}

export function generateFeeds(dir: string): Record<string, string> {
  const items = JSON.parse(readFileSync(join(dir, 'content-items.json'), 'utf8')) as SeedItem[];
  const newestFirst = [...items].sort((a, b) => b.date.localeCompare(a.date));
  return {
    'focus-fr.xml': rss(newestFirst, 'fr'),
    'focus-nl.xml': rss(newestFirst, 'nl'),
    'focus-en.xml': atom(newestFirst, 'en'),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = dirname(fileURLToPath(import.meta.url));
  for (const [name, text] of Object.entries(generateFeeds(dir)))
    writeFileSync(join(dir, 'feeds', name), text);
  console.log('wrote seeds/feeds/focus-{fr,nl,en}.xml');
}
