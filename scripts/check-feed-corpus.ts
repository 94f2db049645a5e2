/**
 * Optional check (not part of the test suite): every feed file in a folder either
 * imports with items or fails with a one-line reason; none crashes.
 *
 *   npx tsx scripts/check-feed-corpus.ts ../shared/corpora/feeds ../shared/corpora/feeds-extra
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFeedBytes } from '../functions/adapters/feeds/decode';
import { parseFeedDocument } from '../functions/adapters/feeds/parse';
import { FeedError } from '../functions/content/content';
import { storeFeed } from '../functions/content/sync';

const nothingStored = {
  existing: async () => new Map(),
  putItems: async () => {},
  get: async () => undefined,
  query: async () => ({ items: [] }),
  getSource: async () => undefined,
  putSource: async () => {},
};

let crashes = 0;
for (const dir of process.argv.slice(2)) {
  for (const file of readdirSync(dir).sort()) {
    if (/\.(txt|md|pem)$/i.test(file)) continue;
    const path = join(dir, file);
    try {
      const feed = parseFeedDocument(decodeFeedBytes(readFileSync(path)));
      const r = await storeFeed(
        { content: nothingStored, clock: { now: () => new Date() }, parse: parseFeedDocument },
        feed,
        'en',
        path,
        { dryRun: true },
      );
      const skipped = r.skipped.length
        ? `, ${r.skipped.length} skipped (${[...new Set(r.skipped.map((s) => s.reason))].slice(0, 2).join('; ')})`
        : '';
      if (r.status === 'failed') console.log(`failed  ${file}: ${r.error}`);
      else console.log(`ok      ${file}: ${feed.format}, ${r.new} items${skipped}`);
    } catch (error) {
      if (error instanceof FeedError) console.log(`failed  ${file}: ${error.message}`);
      else {
        crashes++;
        console.log(`CRASH   ${file}: ${(error as Error).stack}`);
      }
    }
  }
}
process.exitCode = crashes ? 1 : 0;
