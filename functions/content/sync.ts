import { setImmediate as nextTurn } from 'node:timers/promises';
import { stripControlChars } from '../core/control-chars';
import type { Language } from '../core/model';
import type { Clock } from '../core/ports';
import { type ContentItem, FeedError, normaliseEntry, type ParsedFeed } from './content';
import { CONTENT_LIMITS } from './limits';
import type { ContentRepository, FeedFetcher } from './ports';

/**
 * Pulling central content: fetch (conditionally) → parse → normalise → store what is
 * new or changed. Each source is synced on its own: one failing never stops the
 * others, and a failure never touches what is stored.
 */

export interface FeedSource {
  readonly language: Language;
  readonly url: string;
}

export interface SourceReport {
  readonly language: Language;
  readonly source: string;
  /** ok: read whole; partial: some items skipped; unchanged: 304; failed: nothing read. */
  readonly status: 'ok' | 'partial' | 'unchanged' | 'failed';
  readonly format?: ParsedFeed['format'];
  readonly new: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: readonly { readonly item: string; readonly reason: string }[];
  readonly error?: string;
}

export interface ContentDeps {
  readonly content: ContentRepository;
  readonly clock: Clock;
  readonly parse: (text: string) => ParsedFeed;
}

/**
 * Compares a parsed feed with the store and writes what is new or changed (unless dryRun).
 * FeedError, before anything is written, for a feed over the item limit.
 */
export async function storeFeed(
  deps: ContentDeps,
  feed: ParsedFeed,
  language: Language,
  source: string,
  options: { dryRun?: boolean } = {},
): Promise<SourceReport> {
  const { maxItems } = CONTENT_LIMITS;
  if (feed.entries.length > maxItems) {
    throw new FeedError(`the feed has ${feed.entries.length} items, over the ${maxItems}-item limit`);
  }
  const now = deps.clock.now();
  const skipped: { item: string; reason: string }[] = [];
  const byId = new Map<string, ContentItem>();
  for (const [i, entry] of feed.entries.entries()) {
    // One item at a time, then a turn for others: the local stack serves its API in this process.
    await nextTurn();
    const n = normaliseEntry(entry, language, now, feed.baseUrl);
    const title = entry.title ? stripControlChars(entry.title).slice(0, 60) : '';
    const label = `#${i + 1}${title ? ` "${title}"` : ''}`;
    if (!n.ok) skipped.push({ item: label, reason: n.reason });
    else if (byId.has(n.item.id)) skipped.push({ item: label, reason: 'duplicate id in the feed' });
    else byId.set(n.item.id, n.item);
  }
  const existing = await deps.content.existing([...byId.keys()]);
  const changed: ContentItem[] = [];
  let created = 0;
  let updated = 0;
  for (const item of byId.values()) {
    const before = existing.get(item.id);
    if (!before) {
      created++;
      changed.push(item);
    } else if (before.fingerprint !== item.fingerprint) {
      updated++;
      // Keep when it was first seen; changedAt is now.
      changed.push({ ...item, firstSeenAt: before.firstSeenAt });
    }
  }
  if (feed.entries.length === 0) return emptyReport(language, source, 'failed', 'the feed has no items');
  if (byId.size === 0) {
    // Nothing usable: that is a failed source, not an empty success.
    const reasons = [...new Set(skipped.map((s) => s.reason))].slice(0, 2).join('; ');
    return {
      ...emptyReport(language, source, 'failed', `no usable item: ${skipped.length} skipped (${reasons})`),
      skipped,
    };
  }
  if (!options.dryRun) await deps.content.putItems(changed);
  return {
    language,
    source,
    status: skipped.length > 0 ? 'partial' : 'ok',
    format: feed.format,
    new: created,
    updated,
    unchanged: byId.size - created - updated,
    skipped,
  };
}

const emptyReport = (
  language: Language,
  source: string,
  status: 'unchanged' | 'failed',
  error?: string,
): SourceReport => ({
  language,
  source,
  status,
  new: 0,
  updated: 0,
  unchanged: 0,
  skipped: [],
  ...(error ? { error } : {}),
});

const validatorsOf = (v: { etag?: string | undefined; lastModified?: string | undefined } | undefined) => ({
  ...(v?.etag ? { etag: v.etag } : {}),
  ...(v?.lastModified ? { lastModified: v.lastModified } : {}),
});

/** Syncs one source; a source's own failure is reported, not thrown, and stored content stays as it was. */
export async function syncSource(
  deps: ContentDeps & { fetcher: FeedFetcher },
  source: FeedSource,
): Promise<SourceReport> {
  const state = await deps.content.getSource(source.language);
  // Validators of the last good fetch of this same URL make the request conditional.
  const previous = state?.url === source.url ? validatorsOf(state) : {};
  let report: SourceReport;
  let validators = previous;
  try {
    const fetched = await deps.fetcher.fetch(source.url, previous);
    if (fetched.status === 'not-modified') {
      report = emptyReport(source.language, source.url, 'unchanged');
    } else {
      report = await storeFeed(deps, deps.parse(fetched.text), source.language, source.url);
      validators = validatorsOf(fetched);
    }
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    report = emptyReport(source.language, source.url, 'failed', error.message);
  }
  await deps.content.putSource({
    language: source.language,
    url: source.url,
    ...validators,
    lastSyncAt: deps.clock.now().toISOString(),
    lastStatus: report.status,
    ...(report.error ? { lastError: report.error } : {}),
  });
  return report;
}

/** Syncs every source in turn; one source's failure (even unexpected) is reported, the others go on. */
export async function syncAll(
  deps: ContentDeps & { fetcher: FeedFetcher },
  sources: readonly FeedSource[],
): Promise<SourceReport[]> {
  const reports: SourceReport[] = [];
  for (const source of sources) {
    try {
      reports.push(await syncSource(deps, source));
    } catch (error) {
      reports.push(
        emptyReport(source.language, source.url, 'failed', `unexpected error: ${(error as Error).message}`),
      );
    }
  }
  return reports;
}
