import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpFeedFetcher } from '../../functions/adapters/feeds/http-fetcher';
import type { AppContext } from '../../functions/app';
import type { FeedFetcher } from '../../functions/content/ports';
import { type ContentDeps, storeFeed, syncAll, syncSource } from '../../functions/content/sync';
import { startDynalite } from '../helpers/dynalite';
import { item, rss } from '../helpers/feeds';

/** A feed server whose answers the tests set: body, status, delay; it honours If-None-Match. */
const served: Record<string, { body: string; status?: number; delayMs?: number }> = {};
const seen: { path: string; conditional: boolean; status: number }[] = [];
let server: Server;
let base: string;
let ctx: AppContext;
let stopDb: () => Promise<void>;
let deps: ContentDeps & { fetcher: FeedFetcher };

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const entry = served[path];
    const answer = (status: number, body?: string, headers: Record<string, string> = {}) => {
      seen.push({ path, conditional: req.headers['if-none-match'] !== undefined, status });
      res.writeHead(status, headers).end(body);
    };
    if (!entry) return answer(404, 'not found');
    if (entry.delayMs) return void setTimeout(() => answer(200, entry.body), entry.delayMs);
    if (entry.status) return answer(entry.status, 'upstream error');
    const etag = `"${createHash('sha1').update(entry.body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, undefined, { etag });
    answer(200, entry.body, { etag, 'content-type': 'application/rss+xml' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ ctx, stop: stopDb } = await startDynalite());
  deps = { ...ctx.content, fetcher: httpFeedFetcher({ timeoutMs: 300, maxBytes: 20_000 }) };
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await stopDb();
});
beforeEach(() => {
  seen.length = 0;
});

const fr = () => ({ language: 'fr' as const, url: `${base}/fr.xml` });

describe('content sync', () => {
  it('imports a feed, then costs one small 304 when nothing changed', async () => {
    served['/fr.xml'] = { body: rss([item(1), item(2), item(3)]) };
    const first = await syncSource(deps, fr());
    expect(first).toMatchObject({ status: 'ok', new: 3, updated: 0, unchanged: 0 });
    const second = await syncSource(deps, fr());
    expect(second).toMatchObject({ status: 'unchanged', new: 0 });
    expect(seen.map((s) => [s.conditional, s.status])).toEqual([
      [false, 200],
      [true, 304],
    ]);
  });

  it('is idempotent: the same content served again changes nothing', async () => {
    // A new ETag for the same items (whitespace only): fetched in full, nothing written.
    served['/fr.xml'] = { body: `${rss([item(1), item(2), item(3)])}\n` };
    expect(await syncSource(deps, fr())).toMatchObject({ status: 'ok', new: 0, updated: 0, unchanged: 3 });
  });

  it('updates an item changed upstream, keeping when it was first seen; items that left the feed stay', async () => {
    const before = (await ctx.content.content.query({ language: 'fr' })).items.find(
      (i) => i.sourceId === 'g2',
    );
    served['/fr.xml'] = { body: rss([item(2, { title: 'Article 2, corrected' }), item(4)]) };
    const report = await syncSource(deps, fr());
    expect(report).toMatchObject({ status: 'ok', new: 1, updated: 1, unchanged: 0 });
    const all = (await ctx.content.content.query({ language: 'fr', limit: 100 })).items;
    const after = all.find((i) => i.sourceId === 'g2');
    expect(after?.title).toBe('Article 2, corrected');
    expect(after?.firstSeenAt).toBe(before?.firstSeenAt);
    expect(after && before && after.changedAt > before.changedAt).toBe(true);
    expect(all.map((i) => i.sourceId).sort()).toEqual(['g1', 'g2', 'g3', 'g4']);
  });

  it('reports bad items with their reason and still imports the others', async () => {
    served['/fr.xml'] = {
      body: rss([
        item(5),
        item(6, { title: '', description: '' }),
        item(7, { date: 'yesterday-ish' }),
        item(8, { link: 'ftp://focus.example.org/a8' }),
      ]),
    };
    const report = await syncSource(deps, fr());
    expect(report.status).toBe('partial');
    expect(report.new).toBe(1);
    expect(report.skipped.map((s) => s.reason)).toEqual([
      'no title and no text',
      'invalid date "yesterday-ish"',
      'link is not an http(s) URL: "ftp://focus.example.org/a8"',
    ]);
  });

  it.each([
    ['a 404', { body: '', status: 404 }, /^HTTP 404/],
    ['a 500', { body: '', status: 500 }, /^HTTP 500/],
    ['a timeout', { body: rss([item(9)]), delayMs: 1500 }, /no answer within 0.3 s/],
    [
      'an oversize body',
      { body: rss(Array.from({ length: 200 }, (_, i) => item(100 + i))) },
      /over the 20000-byte limit/,
    ],
    ['malformed XML', { body: rss([item(9)]).replace('</channel>', '') }, /malformed XML/],
    ['a web page', { body: '<!doctype html><html><body>Maintenance</body></html>' }, /not a feed|malformed/],
  ])('fails cleanly on %s, leaving stored content untouched', async (_, answer, reason) => {
    const stored = (await ctx.content.content.query({ language: 'fr', limit: 100 })).items;
    served['/fr.xml'] = answer;
    const report = await syncSource(deps, fr());
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(reason);
    expect((await ctx.content.content.query({ language: 'fr', limit: 100 })).items).toEqual(stored);
    expect((await ctx.content.content.getSource('fr'))?.lastError).toMatch(reason);
  });

  it('refuses deeply nested markup with its reason, and the process stays responsive meanwhile', async () => {
    // 100,000 nested tags (700 kB) took 21 s to sanitise, all of it blocking the local API.
    const nested = (depth: number) => `${'<b>'.repeat(depth)}x${'</b>'.repeat(depth)}`;
    served['/nested.xml'] = {
      body: rss([
        item(60, { guid: 'n60' }),
        item(61, { guid: 'n61', description: nested(100_000) }),
        item(62, { guid: 'n62', description: nested(10_000) }),
      ]),
    };
    const roomy = { ...deps, fetcher: httpFeedFetcher({ timeoutMs: 5000, maxBytes: 5_000_000 }) };
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const report = await syncSource(roomy, { language: 'fr', url: `${base}/nested.xml` });
    loop.disable();
    expect(report).toMatchObject({ status: 'partial', new: 1 });
    expect(report.skipped).toEqual([
      { item: '#2 "Article 61"', reason: 'body: 700001 characters, over the 100000-character limit' },
      { item: '#3 "Article 62"', reason: 'body: markup nested deeper than 64 levels' },
    ]);
    // Generous: parsing the document is one block of a few hundred ms on a loaded machine.
    expect(loop.max / 1e6).toBeLessThan(2000);
  });

  it('syncs the other sources when one fails', async () => {
    served['/nl.xml'] = { body: rss([item(1, { guid: 'nl1', link: 'https://focus.example.org/nl/1' })]) };
    const reports = await syncAll(deps, [
      { language: 'de', url: `${base}/missing.xml` },
      { language: 'nl', url: `${base}/nl.xml` },
    ]);
    expect(reports.map((r) => [r.language, r.status])).toEqual([
      ['de', 'failed'],
      ['nl', 'ok'],
    ]);
  });

  it('a dry-run import reports what would change and writes nothing', async () => {
    const feed = ctx.content.parse(rss([item(50), item(51)]));
    const report = await storeFeed(deps, feed, 'en', 'file.xml', { dryRun: true });
    expect(report).toMatchObject({ new: 2 });
    expect((await ctx.content.content.query({ language: 'en' })).items).toHaveLength(0);
  });
});

describe('content queries for composers', () => {
  it('filters by kind, date range and title words, newest first, page by page', async () => {
    const feed = ctx.content.parse(
      rss([
        item(1, { guid: 'q1', title: 'Atomium anniversary', link: 'https://f.example.org/q1' }),
        item(2, {
          guid: 'q2',
          title: 'Magritte exhibition',
          link: 'https://f.example.org/q2',
          category: 'Event',
          event: { start: '2027-01-10T10:00:00Z' },
        }),
        item(3, { guid: 'q3', title: 'Port of Antwerp', link: 'https://f.example.org/q3' }),
        item(4, {
          guid: 'q4',
          title: 'Jazz weekend',
          link: 'https://f.example.org/q4',
          category: 'Event',
          event: { start: '2027-05-21T18:00:00Z' },
        }),
        item(5, {
          guid: 'q5',
          title: 'Eddy Merckx',
          link: 'https://f.example.org/q5',
          category: 'Famous Belgian',
        }),
      ]),
    );
    await storeFeed(deps, feed, 'de', 'test');
    const titles = async (q: Parameters<typeof ctx.content.content.query>[0]) =>
      (await ctx.content.content.query(q)).items.map((i) => i.title);
    expect(await titles({ language: 'de' })).toEqual([
      'Eddy Merckx',
      'Jazz weekend',
      'Port of Antwerp',
      'Magritte exhibition',
      'Atomium anniversary',
    ]);
    expect(await titles({ language: 'de', kind: 'event' })).toEqual(['Jazz weekend', 'Magritte exhibition']);
    expect(await titles({ language: 'de', kind: 'event', from: '2027-03-01' })).toEqual(['Jazz weekend']);
    expect(await titles({ language: 'de', from: '2026-10-02', to: '2026-10-03' })).toEqual([
      'Port of Antwerp',
      'Magritte exhibition',
    ]);
    expect(await titles({ language: 'de', text: 'ANTWERP port' })).toEqual(['Port of Antwerp']);
    const page1 = await ctx.content.content.query({ language: 'de', limit: 2 });
    const page2 = await ctx.content.content.query({ language: 'de', limit: 2, cursor: page1.cursor });
    expect([...page1.items, ...page2.items].map((i) => i.title)).toEqual([
      'Eddy Merckx',
      'Jazz weekend',
      'Port of Antwerp',
      'Magritte exhibition',
    ]);
  });
});
