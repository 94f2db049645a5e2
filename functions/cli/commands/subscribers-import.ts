import { Command, Option } from 'commander';
import { importFilesFromPath } from '../../adapters/import-files';
import { NotFoundError } from '../../core/errors';
import { parseColumnMap } from '../../subscribers/import/format';
import { importSubscribers } from '../../subscribers/import/import';
import { formatReport } from '../../subscribers/import/report';
import { parseSlug } from '../args';
import { cliContext } from '../context';
import { printJson } from '../output';

/** The `subscribers` group, created by whichever of its modules registers first. */
export function subscribersGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'subscribers') ??
    program.command('subscribers').description("a post's subscribers: import, list, GDPR")
  );
}

export function registerSubscribersImport(program: Command): void {
  subscribersGroup(program).addCommand(
    new Command('import')
      .description('import people from a Mailchimp export (CSV or ZIP), a Ymlp list or any CSV with a header')
      .requiredOption('--post <code>', 'post code, e.g. tokyo', parseSlug)
      .requiredOption('--file <path>', 'CSV file, or Mailchimp export ZIP')
      .option('--audience <id>', "the post audience to join (default: the post's only audience)")
      .addOption(
        new Option('--format <format>', 'file layout').choices(['auto', 'mailchimp', 'csv']).default('auto'),
      )
      .option(
        '--map <pairs>',
        "columns the names do not tell: 'Column=field,...' (email, name, first_name, …)",
      )
      .addOption(
        new Option('--status <status>', 'status of every row (Ymlp lists, plain CSV)').choices([
          'subscribed',
          'unsubscribed',
          'bounced',
        ]),
      )
      .option('--dry-run', 'report what would change, write nothing', false)
      .option('--json', 'print the report as JSON', false)
      .action(async (opts) => {
        const ctx = cliContext();
        const map = parseColumnMap(opts.map);
        const post = await ctx.repos.posts.get(opts.post);
        if (!post) throw new NotFoundError(`no post "${opts.post}": see \`missive post list\``);
        const files = await importFilesFromPath(opts.file);
        try {
          const report = await importSubscribers(
            {
              subscribers: ctx.repos.subscribers,
              suppressions: ctx.repos.suppressions,
              personKey: ctx.settings.signingKeys[0]?.secret ?? '',
            },
            {
              post,
              ...(opts.audience ? { audience: opts.audience } : {}),
              format: opts.format,
              map,
              ...(opts.status ? { status: opts.status } : {}),
              dryRun: opts.dryRun,
              now: new Date().toISOString(),
              // A big export takes minutes: a terminal sees the rows go by.
              ...(process.stderr.isTTY
                ? { onProgress: (rows: number) => process.stderr.write(`\r${rows} rows read`) }
                : {}),
            },
            files.sources,
          );
          if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
          if (opts.json) printJson({ report });
          else process.stdout.write(`${formatReport(report)}\n`);
        } finally {
          files.close();
        }
      }),
  );
}
