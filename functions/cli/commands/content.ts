import { readFile, stat } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { decodeFeedBytes } from '../../adapters/feeds/decode';
import { CONTENT_KINDS, type ContentKind, FeedError } from '../../content/content';
import { CONTENT_LIMITS } from '../../content/limits';
import { type SourceReport, storeFeed, syncAll } from '../../content/sync';
import { ValidationError } from '../../core/errors';
import { LANGUAGES, type Language } from '../../core/model';
import { cliContext } from '../context';
import { formatTable, printJson } from '../output';

const parseLanguage = (v: string): Language => {
  if (!(LANGUAGES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`must be one of ${LANGUAGES.join(', ')}`);
  return v as Language;
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
    .option('--from <date>', 'published on or after (event start for --kind event)')
    .option('--to <date>', 'published on or before')
    .option('--q <words>', 'words in the title')
    .option('--limit <n>', 'items per page', (v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 200)
        throw new InvalidArgumentError('must be 1-200');
      return Number(v);
    })
    .option('--cursor <cursor>', 'the cursor printed with the previous page')
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      const page = await cliContext().content.content.query({
        language: opts.lang,
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.to ? { to: opts.to } : {}),
        ...(opts.q ? { text: opts.q } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
      });
      if (opts.json) return printJson(page);
      const rows = page.items.map((i) => ({
        date: (i.event?.start ?? i.publishedAt).slice(0, 10),
        kind: i.kind,
        title: i.title.length > 70 ? `${i.title.slice(0, 69)}…` : i.title,
        id: i.id,
      }));
      process.stdout.write(`${formatTable(rows, ['date', 'kind', 'title', 'id'])}\n`);
      if (page.cursor) process.stdout.write(`next page: --cursor ${page.cursor}\n`);
    });
}
