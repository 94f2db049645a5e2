import { describe, expect, it } from 'vitest';
import { type ContentItem, type FeedEntry, FeedError, normaliseEntry } from '../../functions/content/content';
import type { ContentRepository } from '../../functions/content/ports';
import { storeFeed } from '../../functions/content/sync';

/**
 * Limits that keep a hostile or broken feed from blocking the process: nesting depth
 * and size per field, number of items per feed. Inputs are generated here.
 */

const now = new Date('2026-11-25T12:00:00Z');
const entry = (n: number, over: Partial<FeedEntry> = {}): FeedEntry => ({
  guid: `g${n}`,
  link: `https://focus.example.org/fr/a${n}`,
  title: `Article ${n}`,
  bodyHtml: `<p>Body of article ${n}</p>`,
  published: '2026-11-01T09:00:00Z',
  categories: [],
  ...over,
});
const nested = (depth: number, tag = 'b') => `${`<${tag}>`.repeat(depth)}x${`</${tag}>`.repeat(depth)}`;

/** A store that remembers what it was asked to write. */
function memoryStore() {
  const written: ContentItem[] = [];
  const repo: ContentRepository = {
    existing: async () => new Map(),
    putItems: async (items) => void written.push(...items),
    get: async () => undefined,
    query: async () => ({ items: [] }),
    getSource: async () => undefined,
    putSource: async () => {},
  };
  const deps = {
    content: repo,
    clock: { now: () => now },
    parse: () => ({ format: 'rss' as const, title: 'x', entries: [] }),
  };
  return { deps, written };
}

describe('nesting depth of an item', () => {
  it('refuses an item whose body nests deeper than 64 levels, naming the field', () => {
    expect(normaliseEntry(entry(1, { bodyHtml: nested(2000) }), 'fr', now)).toEqual({
      ok: false,
      reason: 'body: markup nested deeper than 64 levels',
    });
  });

  it('counts tags left open (never closed) as nesting too', () => {
    expect(normaliseEntry(entry(1, { bodyHtml: `<p>${'<span>'.repeat(500)}text</p>` }), 'fr', now)).toEqual({
      ok: false,
      reason: 'body: markup nested deeper than 64 levels',
    });
  });

  it('refuses a title nested too deep, naming the title', () => {
    const n = normaliseEntry(entry(1, { title: nested(500, 'i') }), 'fr', now);
    expect(n).toEqual({ ok: false, reason: 'title: markup nested deeper than 64 levels' });
  });

  it('keeps markup nested up to the limit, and long flat markup (void tags, implied ends)', () => {
    const deep = normaliseEntry(entry(1, { bodyHtml: nested(64) }), 'fr', now);
    expect(deep.ok && deep.item.body).toBe(nested(64));
    const flat = `<ul>${'<li>point<br><img src="https://img.example.org/a.jpg">'.repeat(500)}</ul>${'<p>para'.repeat(500)}`;
    const wide = normaliseEntry(entry(2, { bodyHtml: flat }), 'fr', now);
    expect(wide.ok).toBe(true);
  });

  it('refuses 100,000 nested tags (700 kB) at once, by their size, before any parsing (it took 21 s)', () => {
    const started = performance.now();
    const html = nested(100_000);
    const n = normaliseEntry(entry(1, { bodyHtml: html, summaryHtml: html }), 'fr', now);
    expect(n).toEqual({
      ok: false,
      reason: `body: ${html.length} characters, over the 100000-character limit`,
    });
    // Generous on purpose: a loaded machine is slow, the old code was ten times slower still.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses 14,000 nested tags within the size limit by their depth, before walking them', () => {
    const started = performance.now();
    const n = normaliseEntry(entry(1, { bodyHtml: nested(14_000, 'i') }), 'fr', now);
    expect(n).toEqual({ ok: false, reason: 'body: markup nested deeper than 64 levels' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('size of an item', () => {
  it('refuses a field over 100,000 characters, naming it', () => {
    const body = `<p>${'word '.repeat(20_001)}</p>`;
    expect(normaliseEntry(entry(1, { bodyHtml: body }), 'fr', now)).toEqual({
      ok: false,
      reason: `body: ${body.length} characters, over the 100000-character limit`,
    });
    expect(normaliseEntry(entry(1, { title: 't'.repeat(100_001) }), 'fr', now)).toEqual({
      ok: false,
      reason: 'title: 100001 characters, over the 100000-character limit',
    });
  });
});

describe('a feed as a whole', () => {
  it('refuses a feed of more than 1000 items, writing nothing', async () => {
    const { deps, written } = memoryStore();
    const feed = {
      format: 'rss' as const,
      title: 'x',
      entries: Array.from({ length: 1001 }, (_, i) => entry(i)),
    };
    const store = storeFeed(deps, feed, 'fr', 'big.xml');
    await expect(store).rejects.toThrow(FeedError);
    await expect(store).rejects.toThrow('the feed has 1001 items, over the 1000-item limit');
    expect(written).toEqual([]);
    const atLimit = { ...feed, entries: feed.entries.slice(0, 1000) };
    expect(await storeFeed(deps, atLimit, 'fr', 'ok.xml')).toMatchObject({ status: 'ok', new: 1000 });
  });

  it('gives other work a turn between items (the local API shares the process with a sync)', async () => {
    const { deps } = memoryStore();
    const feed = {
      format: 'rss' as const,
      title: 'x',
      entries: Array.from({ length: 40 }, (_, i) => entry(i)),
    };
    let turns = 0;
    let running = true;
    const other = () => {
      if (!running) return;
      turns++;
      setImmediate(other);
    };
    setImmediate(other);
    await storeFeed(deps, feed, 'fr', 'feed.xml');
    running = false;
    // Each item lets the loop turn once; a loop that never yields gives one or two turns.
    expect(turns).toBeGreaterThanOrEqual(40);
  });
});
