import { readFile, stat } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { decodeFeedBytes } from '../../adapters/feeds/decode';
import { CONTENT_KINDS, type ContentKind, FeedError, storyOf } from '../../content/content';
import { CONTENT_LIMITS } from '../../content/limits';
import { type SourceReport, storeFeed, syncAll } from '../../content/sync';
import { ValidationError } from '../../core/errors';
import { LANGUAGES, type Language } from '../../core/model';
import { assertOrdered } from '../../http/query';
import { cliContext } from '../context';
import { formatTable, printJson } from '../output';

const parseLanguage = (v: string): Language => {
  if (!(LANGUAGES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`must be one of ${LANGUAGES.join(', ')}`);
  return v as Language;
};
/** A day as the API takes it (GET /content?from=): the same rule, so both refuse the same input. */
const parseDay = (v: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v)))
    throw new InvalidArgumentError('must be a date like 2026-11-25');
  return v;
};
const parseKind = (v: string): ContentKind => {
  if (!(CONTENT_KINDS as readonly string[]).includes(v)) {
    throw new InvalidArgumentError(`must be one of ${CONTENT_KINDS.join(', ')}`);
  }
  return v as ContentKind;
};

function printReports(reports: readonly SourceReport[]): void {
  const rows = reports.map((r) => ({
    lang: r.language,
    status: r.status,
    new: r.new,
    updated: r.updated,
    unchanged: r.unchanged,
    skipped: r.skipped.length,
    source: r.source,
  }));
  process.stdout.write(
    `${formatTable(rows, ['lang', 'status', 'new', 'updated', 'unchanged', 'skipped', 'source'])}\n`,
  );
  for (const r of reports) {
    if (r.error) process.stdout.write(`  ${r.language}: failed: ${r.error}\n`);
    for (const s of r.skipped.slice(0, 10))
      process.stdout.write(`  ${r.language}: skipped item ${s.item}: ${s.reason}\n`);
    if (r.skipped.length > 10)
      process.stdout.write(`  ${r.language}: ... and ${r.skipped.length - 10} more skipped\n`);
  }
}

export function registerContent(program: Command): void {
  const content = program.command('content').description('central content (Focus on Belgium feeds)');

  content
    .command('sync')
    .description('pull every configured feed now (what the scheduled content-sync Lambda does)')
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      const ctx = cliContext();
      const reports = await syncAll(ctx.content, ctx.settings.contentFeeds);
      if (opts.json) printJson({ sources: reports });
      else printReports(reports);
      // Exit 1 when a source failed: scripts and cron notice; the other sources were still synced.
      if (reports.some((r) => r.status === 'failed')) process.exitCode = 1;
    });

  content
    .command('import')
    .description('import a feed file from disk (RSS, RDF, Atom or JSON Feed): the same path as a sync')
    .requiredOption('--file <path>', 'the feed file')
    .requiredOption('--lang <xx>', `language of the feed: ${LANGUAGES.join(', ')}`, parseLanguage)
    .option('--dry-run', 'report what would change, write nothing', false)
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      let bytes: Buffer;
      try {
        // The size first: a 57 MB file was read whole and parsed (524 MB of memory).
        const { size } = await stat(opts.file);
        const max = CONTENT_LIMITS.maxDocumentBytes;
        if (size > max) {
          throw new ValidationError(
            `${opts.file}: ${size} bytes, over the ${max}-byte (${max / 1024 / 1024} MiB) limit for a feed document`,
          );
        }
        bytes = await readFile(opts.file);
      } catch (error) {
        if (error instanceof ValidationError) throw error;
        throw new ValidationError(
          `cannot read ${opts.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        );
      }
      const ctx = cliContext();
      let report: SourceReport;
      try {
        const feed = ctx.content.parse(decodeFeedBytes(bytes));
        report = await storeFeed(ctx.content, feed, opts.lang, opts.file, { dryRun: opts.dryRun });
      } catch (error) {
        if (!(error instanceof FeedError)) throw error;
        throw new ValidationError(`${opts.file}: ${error.message}`);
      }
      if (opts.json) printJson({ dryRun: Boolean(opts.dryRun), ...report });
      else printReports([report]);
      if (report.status === 'failed') process.exitCode = 2;
    });

  content
    .command('list')
    .description('search central content, newest first')
    .requiredOption('--lang <xx>', `language: ${LANGUAGES.join(', ')}`, parseLanguage)
    .option('--kind <kind>', `one of ${CONTENT_KINDS.join(', ')}`, parseKind)
    .option('--from <date>', 'published on or after, YYYY-MM-DD (event start for --kind event)', parseDay)
    .option('--to <date>', 'published on or before, YYYY-MM-DD', parseDay)
    .option('--q <words>', 'words in the title', (v: string) => {
      if (v.length > 100) throw new InvalidArgumentError('at most 100 characters');
      return v;
    })
    .option('--limit <n>', 'items per page', (v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 200)
        throw new InvalidArgumentError('must be 1-200');
      return Number(v);
    })
    .option('--cursor <cursor>', 'the cursor printed with the previous page')
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      assertOrdered(opts.from, opts.to, ['--from', '--to']);
      const page = await cliContext().content.content.query({
        language: opts.lang,
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.q ? { text: opts.q } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
      });
      // Each item's story (one id across languages), for edition blocks: {"type": "central", "story": ...}.
      const items = page.items.map((i) => {
        const story = storyOf(i.sourceId, i.language);
        return story ? { ...i, story } : i;
      });
      if (opts.json) return printJson({ ...page, items });
      const rows = items.map((i) => ({
        date: (i.event?.start ?? i.publishedAt).slice(0, 10),
        kind: i.kind,
        title: i.title.length > 60 ? `${i.title.slice(0, 59)}…` : i.title,
        id: i.id,
        story: 'story' in i ? i.story : '',
      }));
      process.stdout.write(`${formatTable(rows, ['date', 'kind', 'title', 'id', 'story'])}\n`);
      if (page.cursor) process.stdout.write(`next page: --cursor ${page.cursor}\n`);
    });
}
