import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseFeed, parseJsonFeed } from 'feedsmith';
import type { FeedEntry, ParsedFeed } from '../../content/content';
import { FeedError } from '../../content/content';

/**
 * Turns a feed document (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed) into format-neutral
 * entries. Parsing is feedsmith's; this module only maps its four shapes onto one,
 * and refuses what is not a complete feed with a one-line reason.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (v: unknown, ...path: (string | number)[]): unknown => {
  let cur = v;
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === 'number') cur = cur[key];
    else if (isObj(cur) && typeof key === 'string') cur = cur[key];
    else return undefined;
  }
  return cur;
};
const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (isObj(v) && typeof v.value === 'string') return v.value.trim() || undefined;
  return undefined;
};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const first = (...values: unknown[]): string | undefined => {
  for (const v of values) {
    const s = str(v);
    if (s) return s;
  }
  return undefined;
};

function imageOf(item: unknown): string | undefined {
  const enclosure = arr(get(item, 'enclosures')).find((e) =>
    String(get(e, 'type') ?? '').startsWith('image/'),
  );
  const mediaContent = arr(get(item, 'media', 'contents')).find(
    (c) => get(c, 'medium') === 'image' || String(get(c, 'type') ?? '').startsWith('image/'),
  );
  const atomEnclosure = arr(get(item, 'links')).find(
    (l) => get(l, 'rel') === 'enclosure' && String(get(l, 'type') ?? '').startsWith('image/'),
  );
  return first(
    get(enclosure, 'url'),
    get(mediaContent, 'url'),
    get(item, 'media', 'thumbnails', 0, 'url'),
    get(atomEnclosure, 'href'),
    get(item, 'image'),
    get(item, 'banner_image'),
  );
}

function categoriesOf(item: unknown): string[] {
  const out: string[] = [];
  for (const c of arr(get(item, 'categories'))) {
    const name = first(get(c, 'name'), get(c, 'term'), get(c, 'label'), c);
    if (name) out.push(name);
  }
  for (const t of arr(get(item, 'tags'))) if (typeof t === 'string') out.push(t);
  for (const s of arr(get(item, 'dc', 'subjects'))) if (typeof s === 'string') out.push(s);
  return out;
}

function atomLink(item: unknown): string | undefined {
  const links = arr(get(item, 'links'));
  const alternate = links.find((l) => (get(l, 'rel') ?? 'alternate') === 'alternate');
  return first(get(alternate, 'href'), get(links[0], 'href'));
}

function toEntry(format: ParsedFeed['format'], item: unknown): FeedEntry {
  switch (format) {
    case 'rss':
      return {
        guid: first(get(item, 'guid')),
        link: first(get(item, 'link'), get(item, 'guid', 'isPermaLink') ? get(item, 'guid') : undefined),
        title: first(get(item, 'title')),
        summaryHtml: first(get(item, 'description')),
        bodyHtml: first(get(item, 'content', 'encoded'), get(item, 'description')),
        image: imageOf(item),
        published: first(get(item, 'pubDate'), get(item, 'dc', 'dates', 0), get(item, 'dc', 'date')),
        updated: first(get(item, 'atom', 'updated'), get(item, 'dcterms', 'modified')),
        categories: categoriesOf(item),
      };
    case 'rdf':
      return {
        guid: first(get(item, 'rdf', 'about'), get(item, 'link')),
        link: first(get(item, 'link'), get(item, 'rdf', 'about')),
        title: first(get(item, 'title')),
        summaryHtml: first(get(item, 'description')),
        bodyHtml: first(get(item, 'content', 'encoded'), get(item, 'description')),
        image: imageOf(item),
        published: first(get(item, 'dc', 'dates', 0), get(item, 'dc', 'date')),
        updated: first(get(item, 'dcterms', 'modified')),
        categories: categoriesOf(item),
      };
    case 'atom':
      return {
        guid: first(get(item, 'id')),
        link: atomLink(item),
        title: first(get(item, 'title')),
        summaryHtml: first(get(item, 'summary'), get(item, 'content')),
        bodyHtml: first(get(item, 'content'), get(item, 'summary')),
        image: imageOf(item),
        published: first(get(item, 'published'), get(item, 'updated')),
        updated: first(get(item, 'updated')),
        categories: categoriesOf(item),
      };
    case 'json':
      return {
        guid: first(get(item, 'id')),
        link: first(get(item, 'url'), get(item, 'external_url')),
        title: first(get(item, 'title')),
        summaryHtml: first(get(item, 'summary'), get(item, 'content_html'), get(item, 'content_text')),
        bodyHtml: first(get(item, 'content_html'), get(item, 'content_text')),
        image: imageOf(item),
        published: first(get(item, 'date_published'), get(item, 'date_modified')),
        updated: first(get(item, 'date_modified')),
        categories: categoriesOf(item),
      };
  }
}

/** JSON Feed extension `_event: { start, end, place }` (extensions start with "_"). */
function jsonEvent(item: unknown): FeedEntry['event'] {
  const ev = get(item, '_event');
  if (!isObj(ev)) return undefined;
  return { start: str(ev.start), end: str(ev.end), place: str(ev.place) };
}

/**
 * Events in XML feeds use the RSS 1.0 events module (ev:startdate, ev:enddate,
 * ev:location), which feedsmith does not map: read them with fast-xml-parser, in
 * document order, one record per item/entry.
 */
function xmlEvents(text: string, format: 'rss' | 'rdf' | 'atom'): FeedEntry['event'][] {
  if (!/xmlns:ev=/.test(text)) return [];
  const doc = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: false,
    isArray: (n) => /(^|:)(item|entry)$/.test(n),
  }).parse(text);
  const items =
    format === 'atom'
      ? arr(get(doc, 'feed', 'entry'))
      : format === 'rss'
        ? arr(get(doc, 'rss', 'channel', 'item'))
        : arr(get(doc, 'rdf:RDF', 'item'));
  return items.map((item) => {
    const start = str(get(item, 'ev:startdate'));
    return start
      ? { start, end: str(get(item, 'ev:enddate')), place: str(get(item, 'ev:location')) }
      : undefined;
  });
}

const JSON_FEED_VERSION = /^(https?:\/\/jsonfeed\.org\/version\/)?1(\.\d+)?$/;

function parseJson(text: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new FeedError(`not valid JSON: ${(error as Error).message}`);
  }
  const version = get(doc, 'version');
  if (!isObj(doc) || typeof version !== 'string' || !Array.isArray(doc.items)) {
    throw new FeedError('not a JSON Feed: it needs "version" and an "items" list');
  }
  if (!JSON_FEED_VERSION.test(version)) throw new FeedError(`unsupported JSON Feed version "${version}"`);
  // Lenient on the version's spelling ("1.1" instead of the URL form), as common readers are.
  const normalised = { ...doc, version: `https://jsonfeed.org/version/${version.replace(/^.*\//, '')}` };
  const feed = parseJsonFeed(normalised) as Obj;
  const raw = doc.items as unknown[];
  const home = first(feed.home_page_url);
  return {
    format: 'json',
    title: first(feed.title),
    ...(home ? { baseUrl: home } : {}),
    // feedsmith drops extension keys: the `_event` of each item is read from the raw document.
    entries: arr(feed.items).map((i, n) => ({ ...toEntry('json', i), event: jsonEvent(raw[n]) })),
  };
}

/** Parses one feed document; FeedError with a one-line reason when it is not a complete feed. */
export function parseFeedDocument(text: string): ParsedFeed {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') throw new FeedError('empty document');
  if (trimmed.startsWith('{')) return parseJson(trimmed);
  if (!trimmed.startsWith('<')) throw new FeedError('not a feed: neither XML nor JSON');
  // feedsmith recovers from truncated XML; a cut-off document must fail, not look like an empty feed.
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    const unclosed = /^Invalid '\[(.*)\]' found/s.exec(valid.err.msg);
    if (unclosed) {
      const names = (unclosed[1] ?? '').replace(/["\s]/g, '').split(',').filter(Boolean);
      throw new FeedError(
        `malformed XML: the document ends with <${names.join('>, <')}> still open (cut off?)`,
      );
    }
    throw new FeedError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  let parsed: { format: string; feed: unknown };
  try {
    parsed = parseFeed(trimmed) as { format: string; feed: unknown };
  } catch (error) {
    const message = (error as Error).message;
    throw new FeedError(
      /unrecognized/i.test(message)
        ? 'not a feed: no RSS, RDF or Atom root element'
        : `unreadable feed: ${message}`,
    );
  }
  const format = parsed.format as 'rss' | 'rdf' | 'atom';
  if (!['rss', 'rdf', 'atom'].includes(format))
    throw new FeedError(`unsupported feed format ${parsed.format}`);
  const items = arr(get(parsed.feed, format === 'atom' ? 'entries' : 'items'));
  const events = xmlEvents(trimmed, format);
  const feedLink =
    format === 'atom'
      ? atomLink(parsed.feed)
      : first(get(parsed.feed, 'link'), get(parsed.feed, 'rdf', 'about'));
  return {
    format,
    title: first(get(parsed.feed, 'title')),
    ...(feedLink ? { baseUrl: feedLink } : {}),
    entries: items.map((item, i) => {
      const entry = toEntry(format, item);
      const event = events[i];
      return event ? { ...entry, event } : entry;
    }),
  };
}
