import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { fileMailer } from '../../adapters/ses/mailer';
import { actorFor } from '../../core/access';
import { ValidationError } from '../../core/errors';
import { monthlyDigest, sendDigest, webAppUrl } from '../../reports/digest';
import { exportReport, type ReportRequest } from '../../reports/export';
import { REPORT_FORMATS, type ReportFormat } from '../../reports/output';
import { REPORT_LANGUAGES, type ReportLanguage } from '../../reports/wording';
import { choice, parseActorId, parseSlug } from '../args';
import { cliContext } from '../context';

interface ReportOpts {
  from?: string;
  to?: string;
  format: ReportFormat;
  out?: string;
  bom: boolean;
  lang: ReportLanguage;
  as?: string;
}

const parseFormat = choice(REPORT_FORMATS);
const parseLang = choice(REPORT_LANGUAGES);

const parseDate = (value: string): string => {
  if (!/^\d{4}-\d{2}(-\d{2})?$/.test(value)) throw new InvalidArgumentError('must be YYYY-MM-DD or YYYY-MM');
  return value;
};

function reportOptions(cmd: Command, period = true): Command {
  if (period)
    cmd
      .option('--from <date>', 'first day or month (default: twelve months back)', parseDate)
      .option('--to <date>', 'last day or month, inclusive (default: today)', parseDate);
  return cmd
    .option('--format <format>', REPORT_FORMATS.join('|'), parseFormat, 'table')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--bom', 'CSV: start with a UTF-8 byte order mark (for spreadsheets)', false)
    .option('--lang <lang>', `words of table, csv and html: ${REPORT_LANGUAGES.join('|')}`, parseLang, 'en')
    .option('--as <id>', 'who reads (recorded in the audit trail)', parseActorId);
}

/** Builds the report as an admin of the CLI (audited as report.exported) and prints or writes it. */
async function run(request: ReportRequest, opts: ReportOpts): Promise<void> {
  const ctx = cliContext();
  const actor = actorFor({ id: opts.as ?? `cli:${userInfo().username}`, grants: [{ role: 'admin' }] });
  const out = await exportReport(ctx.reports, actor, request, opts.format, {
    bom: opts.bom,
    lang: opts.lang,
  });
  if (!opts.out) return void process.stdout.write(out.body);
  try {
    await writeFile(opts.out, out.body);
  } catch (error) {
    throw new ValidationError(
      `--out ${opts.out}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  process.stderr.write(`${out.report.title}: ${opts.format} written to ${opts.out}\n`);
}

interface DigestOpts {
  month: string;
  dryRun: boolean;
  out?: string;
  as?: string;
}

const parseMonth = (value: string): string => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('must be a month: YYYY-MM');
  return value;
};

/**
 * The monthly digest by hand: sent through the stack's SES, or (--dry-run) each
 * message written as an .eml to --out, exactly as it would be sent, and nothing sent.
 */
async function digest(opts: DigestOpts): Promise<void> {
  const ctx = cliContext();
  const actor = opts.as ?? `cli:${userInfo().username}`;
  const deps = { ...ctx.reports, mailer: ctx.mailer, appUrl: webAppUrl(ctx.settings) };
  const messages = await monthlyDigest(deps, opts.month, {
    dryRun: opts.dryRun,
    actor,
  });
  const files = opts.dryRun && opts.out ? fileMailer(opts.out) : undefined;
  for (const m of messages) {
    if (files)
      await sendDigest(files, m).catch((error: NodeJS.ErrnoException) => {
        throw new ValidationError(`--out ${opts.out}: cannot write (${error.code ?? 'error'})`);
      });
    const done = opts.dryRun ? 'would send' : `sent ${m.messageId ?? ''}`;
    process.stdout.write(`${m.post}\t${m.to}\t${m.language}\t${done}\t${m.subject}\n`);
  }
  process.stderr.write(
    `${messages.length} digest messages for ${opts.month}${
      opts.dryRun ? (opts.out ? `: dry run, written to ${opts.out}` : ': dry run, nothing sent') : ' sent'
    }\n`,
  );
}

const period = (opts: ReportOpts) => ({
  ...(opts.from ? { from: opts.from } : {}),
  ...(opts.to ? { to: opts.to } : {}),
});

/** missive report edition ID | post CODE | audience KIND | story [ID] | network. */
export function registerReport(program: Command): void {
  const report = program
    .command('report')
    .description('usage reports from the engagement counters (each export audited): table, json, csv, html');

  reportOptions(
    report
      .command('edition')
      .description('one edition: per variant, per link, 7 days after the send')
      .argument('<id>', 'edition id'),
    false,
  ).action((id: string, opts: ReportOpts) => run({ kind: 'edition', id }, opts));

  reportOptions(
    report
      .command('post')
      .description('one post over a period: editions, monthly trend, list growth, benchmarks')
      .argument('<code>', 'post code, e.g. tokyo', parseSlug),
  ).action((code: string, opts: ReportOpts) => run({ kind: 'post', code, ...period(opts) }, opts));

  reportOptions(
    report
      .command('audience')
      .description(
        'an audience kind (economic, cultural, consular, custom) or a language (fr, nl, en, de) across the network',
      )
      .argument('<kind>', 'audience kind or language'),
  ).action((audience: string, opts: ReportOpts) =>
    run({ kind: 'audience', audience, ...period(opts) }, opts),
  );

  reportOptions(
    report
      .command('story')
      .description(
        'a central story (item id, or story id with {lang}); without one, the leaderboard of stories and kinds',
      )
      .argument('[id]', 'content item id or story id'),
  ).action((id: string | undefined, opts: ReportOpts) =>
    run({ kind: 'story', ...(id ? { id } : {}), ...period(opts) }, opts),
  );

  reportOptions(
    report
      .command('network')
      .description('the network: posts ranked and benchmarked, adoption, crisis alerts'),
  ).action((opts: ReportOpts) => run({ kind: 'network', ...period(opts) }, opts));

  report
    .command('digest')
    .description(
      "mail each post's mailbox its digest of a month in its language, and HQ the network's (audited)",
    )
    .requiredOption('--month <month>', 'the month reported, YYYY-MM', parseMonth)
    .option('--dry-run', 'send nothing: list the messages (and write them with --out)', false)
    .option('--out <dir>', 'dry run: write one .eml per message into this folder')
    .option('--as <id>', 'who runs it (recorded in the audit trail)', parseActorId)
    .action((opts: DigestOpts) => {
      if (opts.out && !opts.dryRun) throw new ValidationError('--out is for --dry-run only');
      return digest(opts);
    });
}
