import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../functions/adapters/feeds/decode';
import { parseFeedDocument } from '../../functions/adapters/feeds/parse';
import { FeedError, kindFromCategories, normaliseEntry, sanitizeBody } from '../../functions/content/content';
import { storeFeed } from '../../functions/content/sync';
import { item, rss } from '../helpers/feeds';

const now = new Date('2026-11-25T12:00:00Z');
const normalise = (text: string, i = 0) => {
  const feed = parseFeedDocument(text);
  const entry = feed.entries[i];
  if (!entry) throw new Error('no entry');
  return normaliseEntry(entry, 'fr', now, feed.baseUrl);
};

describe('feed formats', () => {
  it('RSS 2.0: an event with start, end and place (RSS 1.0 events module)', () => {
    const n = normalise(
      rss([
        item(1, {
          title: 'Fêtes de Gand',
          category: 'Événement',
          event: { start: '2027-07-16T12:00:00+02:00', end: '2027-07-25T23:59:00+02:00', place: 'Gand' },
        }),
      ]),
    );
    expect(n.ok && n.item).toMatchObject({
      kind: 'event',
      title: 'Fêtes de Gand',
      event: { start: '2027-07-16T12:00:00+02:00', end: '2027-07-25T23:59:00+02:00', place: 'Gand' },
      publishedAt: '2026-10-01T09:00:00.000Z',
      summary: 'Summary of article 1',
    });
  });

  it('RSS 1.0 / RDF with a date-only dc:date', () => {
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example.org/"><title>News</title><link>https://news.example.org/</link><description>d</description>
<items><rdf:Seq><rdf:li resource="https://news.example.org/1"/></rdf:Seq></items></channel>
<item rdf:about="https://news.example.org/1"><title>Point release</title><link>https://news.example.org/1</link>
<description>The &lt;q&gt;sixth&lt;/q&gt; update</description><dc:date>2022-12-17</dc:date></item></rdf:RDF>`;
    const n = normalise(rdf);
    expect(n.ok && n.item).toMatchObject({ title: 'Point release', publishedAt: '2022-12-17T00:00:00.000Z' });
  });

  it('Atom: relative links resolved against the feed, html content kept as sanitised HTML', () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Releases</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated>
<link rel="alternate" href="https://code.example.org/project/releases"/>
<entry><id>tag:example.org,2026:1</id><title>v1.0</title><updated>2026-01-02T00:00:00Z</updated>
<link rel="alternate" href="/project/releases/tag/v1.0"/>
<content type="html">&lt;p&gt;First &lt;b&gt;release&lt;/b&gt;&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>`;
    const n = normalise(atom);
    expect(n.ok && n.item.link).toBe('https://code.example.org/project/releases/tag/v1.0');
    expect(n.ok && n.item.body).toBe('<p>First <b>release</b></p>');
  });

  it('JSON Feed 1.1, lenient on the version spelling, with the _event extension', () => {
    const json = JSON.stringify({
      version: '1.1',
      title: 'Focus',
      home_page_url: 'https://focus.example.org/',
      items: [
        {
          id: 'e1',
          url: 'https://focus.example.org/e1',
          title: 'Jazz weekend',
          content_html: '<p>Concerts</p><script>alert()</script>',
          date_published: '2026-11-01T10:00:00Z',
          tags: ['Event'],
          _event: { start: '2027-05-21T18:00:00+02:00', place: 'Brussels' },
        },
      ],
    });
    const n = normalise(json);
    expect(n.ok && n.item).toMatchObject({
      kind: 'event',
      body: '<p>Concerts</p>',
      event: { place: 'Brussels' },
    });
  });

  it('decodes the encoding the XML declaration names', () => {
    const latin1 = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>t</title><link>https://x.example.org/</link><description>d</description><item><title>Namur ét Liège</title><link>https://x.example.org/1</link></item></channel></rss>',
      'latin1',
    );
    const feed = parseFeedDocument(decodeFeedBytes(latin1));
    expect(feed.entries[0]?.title).toBe('Namur ét Liège');
  });
});

describe('bad documents fail with one line', () => {
  const fails = (text: string, message: RegExp) => {
    expect(() => parseFeedDocument(text)).toThrow(FeedError);
    expect(() => parseFeedDocument(text)).toThrow(message);
  };
  it('a feed cut off in the middle', () => {
    const whole = rss([item(1), item(2)]);
    fails(whole.slice(0, whole.indexOf('</channel>')), /the document ends with <rss>, <channel> still open/);
    fails(whole.slice(0, whole.indexOf('<title>Article 2') + 12), /malformed XML/);
  });
  it('malformed XML', () =>
    fails('<rss><channel><title>x</titel></channel></rss>', /malformed XML at line 1/));
  it('an HTML page, not a feed', () =>
    fails('<!doctype html><html><body>hi</body></html>', /not a feed|malformed XML/));
  it('XML that is not a feed', () => fails('<?xml version="1.0"?><note><to>x</to></note>', /not a feed/));
  it('truncated JSON', () => fails('{\n  "verion": "1.0"\n', /not valid JSON/));
  it('JSON that is not a JSON Feed', () => fails('{"name": "x"}', /not a JSON Feed/));
  it('nothing at all', () => fails('  ', /empty document/));
});

describe('normalising items', () => {
  it('skips an item without title or text, with a link that is not http(s), or with an invalid date, saying why', () => {
    expect(normalise(rss([item(1, { title: '', description: '' })]))).toEqual({
      ok: false,
      reason: 'no title and no text',
    });
    expect(normalise(rss([item(1, { link: 'javascript:alert(1)' })]))).toEqual({
      ok: false,
      reason: 'link is not an http(s) URL: "javascript:alert(1)"',
    });
    expect(normalise(rss([item(1, { date: 'Seg, 24 Set 2018' })]))).toEqual({
      ok: false,
      reason: 'invalid date "Seg, 24 Set 2018"',
    });
  });

  it('maps categories to kinds in FR, NL, EN and DE; unknown is an article', () => {
    expect(kindFromCategories(['Bekende Belg'])).toBe('famous-belgian');
    expect(kindFromCategories(['Belge célèbre'])).toBe('famous-belgian');
    expect(kindFromCategories(['Evenement'])).toBe('event');
    expect(kindFromCategories(['Veranstaltung'])).toBe('event');
    expect(kindFromCategories(['Economy', 'Science'])).toBe('article');
  });

  it('keeps an "event" without a start date as an article', () => {
    const n = normalise(rss([item(1, { category: 'Event' })]));
    expect(n.ok && n.item.kind).toBe('article');
  });

  it('sanitises bodies: no scripts, no event handlers, no javascript: URLs', () => {
    const dirty =
      '<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a> <a href="https://ok.example.org">ok</a></p><script>alert(1)</script><iframe src="https://evil.example"></iframe><img src="https://img.example.org/a.jpg" onerror="x()">';
    const clean = sanitizeBody(dirty);
    expect(clean).not.toMatch(/script|onclick|onerror|javascript:|iframe/);
    expect(clean).toContain('<a href="https://ok.example.org" rel="noopener noreferrer">ok</a>');
    expect(clean).toContain('<img src="https://img.example.org/a.jpg" />');
  });

  it('gives the same id to the same guid, and another to another language', () => {
    const a = normalise(rss([item(1)]));
    const b = normalise(rss([item(1, { title: 'Changed' })]));
    expect(a.ok && b.ok && a.item.id === b.item.id).toBe(true);
    expect(a.ok && b.ok && a.item.fingerprint !== b.item.fingerprint).toBe(true);
  });
});

describe('items as feed readers take them (issue 21)', () => {
  it('an Atom entry with only an id: kept, without a link (no "read more")', () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Planet</title><id>urn:planet</id><updated>2026-11-20T10:00:00Z</updated>
<entry><id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id><title>Release notes</title>
<updated>2026-11-20T10:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>What changed.</p></div></content></entry>
</feed>`;
    const n = normalise(atom);
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.item.title).toBe('Release notes');
    expect(n.item.link).toBeUndefined();
    expect(n.item.sourceId).toBe('urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a');
  });

  it('a JSON Feed item without a title: titled with the first words of its text', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Micro',
      items: [
        {
          id: 'https://micro.example.org/2026/11/20/a',
          url: 'https://micro.example.org/2026/11/20/a',
          content_html:
            '<p>Belgian chocolatiers open a <b>pop-up</b> in Osaka this weekend, with tastings every afternoon and a workshop for children on Sunday.</p>',
          date_published: '2026-11-20T10:00:00Z',
        },
        { id: 'empty', url: 'https://micro.example.org/empty' },
      ],
    });
    const n = normalise(json);
    expect(n.ok && n.item.title).toBe(
      'Belgian chocolatiers open a pop-up in Osaka this weekend, with tastings every…',
    );
    expect(n.ok && n.item.link).toBe('https://micro.example.org/2026/11/20/a');
    expect(normalise(json, 1)).toEqual({ ok: false, reason: 'no title and no text' });
  });
});

describe('control characters from a feed', () => {
  it('are stripped from every text field; the body keeps its line breaks and tabs', () => {
    const json = JSON.stringify({
      version: '1.1',
      title: 'Focus',
      home_page_url: 'https://focus.example.org/',
      items: [
        {
          id: 'c\u001b1',
          url: 'https://focus.example.org/c1',
          title: '\u001b[2J\u001b]0;owned\u0007Hello\u009b31m &#27;world',
          summary: 'Sum\u0000mary\u001b[0m &#x1b;end',
          content_html: '<p>Line one\r\nLine\ttwo\u001b[31m &#x1b;red\u0085</p>',
          date_published: '2026-11-01T10:00:00Z',
          tags: ['Event\u001b'],
          _event: { start: '2027-05-21T18:00:00+02:00', place: 'Brus\u001b[1msels' },
        },
      ],
    });
    const n = normalise(json);
    if (!n.ok) throw new Error(n.reason);
    expect(n.item).toMatchObject({
      title: '[2J]0;ownedHello31m world',
      summary: 'Summary[0m end',
      body: '<p>Line one\nLine\ttwo[31m red</p>',
      sourceId: 'c1',
      kind: 'event',
      event: { place: 'Brus[1msels' },
    });
    // No C0 control but tab and line feed (JSON escapes the others as \u00xx), no DEL or C1.
    expect(JSON.stringify(n.item)).not.toMatch(/\\u00[01]|[\u007f-\u009f]/);
  });

  it('never reach the reason a document is refused', () => {
    const doc = JSON.stringify({ version: '\u001b]0;x\u00079', items: [] });
    expect(() => parseFeedDocument(doc)).toThrow('unsupported JSON Feed version "]0;x9"');
  });

  it('never reach a skipped item report either', async () => {
    const feed = parseFeedDocument(
      rss([item(1, { title: 'Bad\u001b[31m date', date: 'soon\u001b]0;x\u0007' })]),
    );
    const report = await storeFeed(
      {
        content: {
          existing: async () => new Map(),
          putItems: async () => {},
          get: async () => undefined,
          query: async () => ({ items: [] }),
          getSource: async () => undefined,
          putSource: async () => {},
        },
        clock: { now: () => now },
        parse: parseFeedDocument,
      },
      feed,
      'fr',
      'feed.xml',
      { dryRun: true },
    );
    expect(report.skipped).toEqual([{ item: '#1 "Bad[31m date"', reason: 'invalid date "soon]0;x"' }]);
  });
});
