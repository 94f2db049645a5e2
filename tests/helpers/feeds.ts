/** Small feed documents for tests, one per format (the real-world corpus is checked by scripts/). */

export interface RssItem {
  guid: string;
  title?: string;
  link?: string;
  date?: string;
  category?: string;
  description?: string;
  event?: { start: string; end?: string; place?: string };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rss(items: RssItem[], channelLink = 'https://focus.example.org/fr'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel>
<title>Focus</title><link>${channelLink}</link><description>Focus</description>
${items
  .map(
    (i) => `<item>
${i.title !== undefined ? `<title>${esc(i.title)}</title>` : ''}
${i.link !== undefined ? `<link>${i.link}</link>` : ''}
<guid isPermaLink="false">${i.guid}</guid>
${i.date ? `<pubDate>${i.date}</pubDate>` : ''}
${i.category ? `<category>${i.category}</category>` : ''}
${i.description !== undefined ? `<description>${esc(i.description)}</description>` : ''}
${i.event ? `<ev:startdate>${i.event.start}</ev:startdate>${i.event.end ? `<ev:enddate>${i.event.end}</ev:enddate>` : ''}${i.event.place ? `<ev:location>${esc(i.event.place)}</ev:location>` : ''}` : ''}
</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export const item = (n: number, over: { [K in keyof RssItem]?: RssItem[K] | undefined } = {}): RssItem => ({
  guid: `g${n}`,
  title: `Article ${n}`,
  link: `https://focus.example.org/fr/a${n}`,
  date: new Date(Date.UTC(2026, 9, n, 9)).toUTCString(),
  category: 'Article',
  description: `<p>Summary of article ${n}</p>`,
  // Tests leave fields out on purpose (an item without a link must be skipped).
  ...(over as Partial<RssItem>),
});
