import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import { stripControlChars, stripControlCharsMultiline } from '../core/control-chars';
import { MissiveError } from '../core/errors';
import type { Language } from '../core/model';
import { CONTENT_LIMITS, CONTENT_TEXT_LIMITS } from './limits';
import { contentId } from './story';

/** Central content: what headquarters publishes in its feeds, stored per language. */

export const CONTENT_KINDS = ['article', 'event', 'famous-belgian'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export interface ContentEvent {
  readonly start: string;
  readonly end?: string;
  readonly place?: string;
}

export interface ContentItem {
  readonly id: string;
  readonly language: Language;
  readonly kind: ContentKind;
  readonly title: string;
  /** Plain text, at most 500 characters. */
  readonly summary: string;
  /** Sanitised HTML (allow-list): no scripts, no event handlers, no javascript: URLs. */
  readonly body: string;
  readonly imageUrl?: string;
  /** The item's page; absent when the feed gives none (an Atom entry needs only an id): no "read more". */
  readonly link?: string;
  readonly publishedAt: string;
  /** The feed's own "updated" date, when it gives one. */
  readonly updatedAt?: string;
  readonly event?: ContentEvent;
  /** The feed's guid/id (or link): what makes the id stable. */
  readonly sourceId: string;
  /** Hash of the normalised fields: a sync compares it to tell "updated" from "unchanged". */
  readonly fingerprint: string;
  readonly firstSeenAt: string;
  /** When this store last saw the item change (first import or upstream update). */
  readonly changedAt: string;
}

/** An entry as a feed gives it, whatever the format (adapters/feeds/parse.ts). */
export interface FeedEntry {
  readonly guid?: string | undefined;
  readonly link?: string | undefined;
  readonly title?: string | undefined;
  readonly summaryHtml?: string | undefined;
  readonly bodyHtml?: string | undefined;
  readonly image?: string | undefined;
  readonly published?: string | undefined;
  readonly updated?: string | undefined;
  readonly categories: readonly string[];
  readonly event?:
    | { start?: string | undefined; end?: string | undefined; place?: string | undefined }
    | undefined;
}

export interface ParsedFeed {
  readonly format: 'rss' | 'rdf' | 'atom' | 'json';
  readonly title: string | undefined;
  /** The site the feed belongs to: relative item links are resolved against it. */
  readonly baseUrl?: string;
  readonly entries: readonly FeedEntry[];
}

/** A source (or document) that cannot be read as a feed: the reason is one line. */
export class FeedError extends MissiveError {
  readonly code = 'bad_feed';
  readonly httpStatus = 422;
  override readonly exitCode = 1;
  constructor(reason: string) {
    // A reason may quote the document, which must not reach a terminal with its controls.
    super(stripControlChars(reason));
  }
}

/**
 * Kind from the feed's categories (FR/NL/EN/DE words), first match wins; anything
 * else is an article. An "event" needs a start date (ev:startdate, or _event.start
 * in JSON Feed); without one it is kept as an article.
 */
const KIND_RULES: readonly [ContentKind, RegExp][] = [
  ['famous-belgian', /famous|c[ée]l[èe]bre|bekende|beroemde|ber[üu]hmte|personnalit|persoonlijkheid/i],
  ['event', /\bevents?\b|[ée]v[èé]nement|evenement|agenda|veranstaltung/i],
];

export function kindFromCategories(categories: readonly string[]): ContentKind {
  for (const [kind, pattern] of KIND_RULES) if (categories.some((c) => pattern.test(c))) return kind;
  return 'article';
}

const BODY_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'b',
    'em',
    'i',
    'u',
    'a',
    'ul',
    'ol',
    'li',
    'h2',
    'h3',
    'h4',
    'blockquote',
    'img',
    'figure',
    'figcaption',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'width', 'height'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  // An image an email client cannot load (relative or missing src) is dropped.
  exclusiveFilter: (frame) => frame.tag === 'img' && !/^https?:\/\//i.test(frame.attribs.src ?? ''),
};

/** Markup nested deeper than the limit: thrown from inside the sanitiser, which stops there. */
class MarkupTooDeep extends Error {
  constructor() {
    super(`markup nested deeper than ${CONTENT_LIMITS.maxMarkupDepth} levels`);
  }
}

/**
 * sanitize-html with a depth count kept by its own open/close hooks (the parser reports
 * implied and void-element ends too), so a too-deep document costs only its first levels.
 */
function sanitizeWithinDepth(html: string, policy: sanitizeHtml.IOptions): string {
  let depth = 0;
  return sanitizeHtml(html, {
    ...policy,
    onOpenTag: () => {
      if (++depth > CONTENT_LIMITS.maxMarkupDepth) throw new MarkupTooDeep();
    },
    onCloseTag: () => {
      depth--;
    },
  });
}

/** Allow-listed HTML; throws MarkupTooDeep. Entities may decode to controls: stripped after. */
export const sanitizeBody = (html: string): string =>
  stripControlCharsMultiline(sanitizeWithinDepth(html, BODY_POLICY)).trim();

/** Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed; throws MarkupTooDeep. */
export const plainText = (html: string): string =>
  stripControlChars(decodeHTML(sanitizeWithinDepth(html, { allowedTags: [], allowedAttributes: {} })))
    .replace(/\s+/g, ' ')
    .trim();

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, '')}…`;
}

const httpUrl = (value: string | undefined, base?: string): string | undefined => {
  if (!value) return undefined;
  try {
    const u = new URL(value, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
};

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO date, or 'invalid' when the feed's text is not a date. */
function isoDate(value: string | undefined): string | undefined | 'invalid' {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? 'invalid' : new Date(t).toISOString();
}

export { contentId, STORY_PATTERN, storyItemId, storyOf } from './story';

export type Normalised = { ok: true; item: ContentItem } | { ok: false; reason: string };

const clean = (v: string | undefined) => (v === undefined ? undefined : stripControlChars(v));
const cleanMultiline = (v: string | undefined) =>
  v === undefined ? undefined : stripControlCharsMultiline(v);

/** The entry without control characters in any of its texts (they reach terminals and reports). */
function withoutControlChars(entry: FeedEntry): FeedEntry {
  return {
    guid: clean(entry.guid),
    link: clean(entry.link),
    title: clean(entry.title),
    summaryHtml: cleanMultiline(entry.summaryHtml),
    bodyHtml: cleanMultiline(entry.bodyHtml),
    image: clean(entry.image),
    published: clean(entry.published),
    updated: clean(entry.updated),
    categories: entry.categories.map(stripControlChars),
    event: entry.event && {
      start: clean(entry.event.start),
      end: clean(entry.event.end),
      place: clean(entry.event.place),
    },
  };
}

/** The fields that go through the sanitiser, by the name a skipped item's reason gives them. */
const markupFields = (entry: FeedEntry): [string, string | undefined][] => [
  ['title', entry.title],
  ['body', entry.bodyHtml],
  ['summary', entry.summaryHtml],
  ['event place', entry.event?.place],
];

/** An entry that cannot become an item; the message is the reason its report gives. */
class Refused extends Error {}

/** One field through the sanitiser: markup nested too deep refuses the item, naming the field. */
function inField<T>(name: string, html: string, sanitise: (html: string) => T): T {
  try {
    return sanitise(html);
  } catch (error) {
    if (error instanceof MarkupTooDeep) throw new Refused(`${name}: ${error.message}`);
    throw error;
  }
}

/**
 * One feed entry as a content item, or the reason it cannot be one. Each field's size
 * and nesting depth are bounded, so no item costs more than a few tens of ms.
 */
export function normaliseEntry(raw: FeedEntry, language: Language, now: Date, baseUrl?: string): Normalised {
  const entry = withoutControlChars(raw);
  for (const [name, value] of markupFields(entry)) {
    if (value !== undefined && value.length > CONTENT_LIMITS.maxFieldChars) {
      return {
        ok: false,
        reason: `${name}: ${value.length} characters, over the ${CONTENT_LIMITS.maxFieldChars}-character limit`,
      };
    }
  }
  try {
    return normaliseBounded(entry, language, now, baseUrl);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Words of a title made from the text, as feed readers do for an item without one (JSON Feed allows it). */
const TITLE_FROM_TEXT_CHARS = 80;

function normaliseBounded(entry: FeedEntry, language: Language, now: Date, baseUrl?: string): Normalised {
  const given = entry.title
    ? truncate(inField('title', entry.title, plainText), CONTENT_TEXT_LIMITS.title)
    : '';
  const text = given
    ? ''
    : truncate(inField('body', entry.bodyHtml ?? entry.summaryHtml ?? '', plainText), TITLE_FROM_TEXT_CHARS);
  const title = given || text;
  if (!title) return { ok: false, reason: 'no title and no text' };
  // An item without a page (an Atom entry needs only an id) is kept, without a link.
  const link = httpUrl(entry.link, baseUrl) ?? httpUrl(entry.guid);
  if (!link && entry.link) return { ok: false, reason: `link is not an http(s) URL: "${entry.link}"` };
  const sourceId = entry.guid ?? link;
  if (!sourceId) return { ok: false, reason: 'no id and no link' };
  const published = isoDate(entry.published);
  if (published === 'invalid') return { ok: false, reason: `invalid date "${entry.published}"` };
  const updated = isoDate(entry.updated);
  if (updated === 'invalid') return { ok: false, reason: `invalid date "${entry.updated}"` };

  let kind = kindFromCategories(entry.categories);
  let event: ContentEvent | undefined;
  if (entry.event?.start) {
    const start = isoDate(entry.event.start);
    const end = isoDate(entry.event.end);
    if (start === 'invalid' || start === undefined)
      return { ok: false, reason: `invalid event start "${entry.event.start}"` };
    if (end === 'invalid') return { ok: false, reason: `invalid event end "${entry.event.end}"` };
    // Event times keep the offset the feed gives: the day at the venue is what readers need.
    const asGiven = (given: string | undefined, iso: string | undefined) =>
      given && ISO_WITH_OFFSET.test(given.trim()) ? given.trim() : iso;
    const startAt = asGiven(entry.event.start, start) as string;
    const endAt = asGiven(entry.event.end, end);
    event = {
      start: startAt,
      ...(endAt ? { end: endAt } : {}),
      ...(entry.event.place ? { place: inField('event place', entry.event.place, plainText) } : {}),
    };
    kind = 'event';
  } else if (kind === 'event') {
    kind = 'article';
  }

  const body = inField('body', entry.bodyHtml ?? entry.summaryHtml ?? '', sanitizeBody);
  const summary = truncate(
    inField('summary', entry.summaryHtml ?? entry.bodyHtml ?? '', plainText),
    CONTENT_TEXT_LIMITS.summary,
  );
  const imageUrl = httpUrl(entry.image, baseUrl);
  const fields = {
    language,
    kind,
    title,
    summary,
    body,
    ...(imageUrl ? { imageUrl } : {}),
    ...(link ? { link } : {}),
    // A feed that dates nothing: the item is dated when first seen (kept on later syncs).
    publishedAt: published ?? updated ?? now.toISOString(),
    ...(updated ? { updatedAt: updated } : {}),
    ...(event ? { event } : {}),
  };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ ...fields, publishedAt: published ?? updated ?? '' }))
    .digest('base64url');
  const at = now.toISOString();
  return {
    ok: true,
    item: {
      id: contentId(language, sourceId),
      sourceId,
      fingerprint,
      firstSeenAt: at,
      changedAt: at,
      ...fields,
    },
  };
}
