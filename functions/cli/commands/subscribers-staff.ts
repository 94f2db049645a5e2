import { once } from 'node:events';
import { open, rename, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { AppContext } from '../../app';
import { type Actor, actorFor } from '../../core/access';
import { NotFoundError, ValidationError } from '../../core/errors';
import {
  LANGUAGES,
  SUBSCRIPTION_STATUSES,
  SUPPRESSION_REASONS,
  type SuppressionReason,
} from '../../core/model';
import { erasePerson, personalData } from '../../subscribers/gdpr';
import {
  exportSubscribers,
  findAtPost,
  listSubscribers,
  removeSubscriber,
  type SubscriberFilter,
} from '../../subscribers/staff';
import { addSuppression, listSuppressions, removeSuppression } from '../../subscribers/suppressions';
import { choice, parseActorId, parseCount, parseSlug } from '../args';
import { cliContext } from '../context';
import { formatTable, printJson } from '../output';

/** The operator acting: `--as` (default cli:<login>), as an admin; recorded in the audit trail. */
const actorOf = (opts: { as?: string }): Actor =>
  actorFor({ id: opts.as ?? `cli:${userInfo().username}`, grants: [{ role: 'admin' }] });

/** Finds the `subscribers` group or creates it: its modules register in any order. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

async function knownPost(ctx: AppContext, code: string): Promise<void> {
  if (!(await ctx.repos.posts.get(code)))
    throw new NotFoundError(`no post "${code}": see \`missive post list\``);
}

interface ListOpts {
  post: string;
  status?: (typeof SUBSCRIPTION_STATUSES)[number];
  audience?: string;
  lang?: (typeof LANGUAGES)[number];
  limit?: number;
  cursor?: string;
  as?: string;
  json: boolean;
}

const filterOf = (opts: ListOpts, text?: string): SubscriberFilter => ({
  ...(opts.status ? { status: opts.status } : {}),
  ...(opts.audience ? { audience: opts.audience } : {}),
  ...(opts.lang ? { language: opts.lang } : {}),
  ...(text?.trim() ? { text: text.trim() } : {}),
});

function listOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--post <code>', 'post code, e.g. tokyo', parseSlug)
    .option('--status <status>', SUBSCRIPTION_STATUSES.join('|'), choice(SUBSCRIPTION_STATUSES))
    .option('--audience <id>', 'one audience of the post', parseSlug)
    .option('--lang <lang>', LANGUAGES.join('|'), choice(LANGUAGES))
    .option('--limit <n>', 'rows per page (default 100)', parseCount)
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .option('--as <id>', 'who reads (recorded in the audit trail)', parseActorId)
    .option('--json', 'print JSON', false);
}

async function runList(opts: ListOpts, text?: string): Promise<void> {
  const ctx = cliContext();
  await knownPost(ctx, opts.post);
  const page = await listSubscribers(ctx.staff, actorOf(opts), opts.post, filterOf(opts, text), {
    ...(opts.limit ? { limit: opts.limit } : {}),
    ...(opts.cursor ? { cursor: opts.cursor } : {}),
  });
  if (opts.json) return printJson(page);
  const rows = page.items.map((r) => ({
    id: r.subscriberId,
    email: r.email,
    name: r.name,
    audience: r.audience,
    lang: r.language,
    status: r.status,
  }));
  process.stdout.write(`${formatTable(rows, ['id', 'email', 'name', 'audience', 'lang', 'status'])}\n`);
  if (page.cursor) process.stdout.write(`more: --cursor ${page.cursor}\n`);
}

/** missive subscribers list|search|remove|export|show|erase and missive suppressions list|add|remove. */
export function registerSubscribersStaff(program: Command): void {
  const subscribers = group(program, 'subscribers', "a post's subscribers: import, list, GDPR");

  listOptions(
    subscribers.command('list').description("a post's people, by status, audience, language"),
  ).action((opts: ListOpts) => runList(opts));

  listOptions(
    subscribers
      .command('search')
      .description("a post's people whose name or address holds every word")
      .argument('<words>', 'words to find in the name or the address'),
  ).action((words: string, opts: ListOpts) => runList(opts, words));

  subscribers
    .command('remove')
    .description('remove one person from a post: their subscriptions there become unsubscribed (audited)')
    .argument('<email-or-id>', 'the address or the subscriber id')
    .requiredOption('--post <code>', 'post code, e.g. tokyo', parseSlug)
    .option('--as <id>', 'who removes (recorded in the audit trail)', parseActorId)
    .option('--json', 'print JSON', false)
    .action(async (who: string, opts: { post: string; as?: string; json: boolean }) => {
      const ctx = cliContext();
      await knownPost(ctx, opts.post);
      const id = await findAtPost(ctx.staff, opts.post, who);
      const out = await removeSubscriber(ctx.staff, actorOf(opts), opts.post, id);
      if (opts.json) return printJson(out);
      process.stdout.write(`${id}: ${out.unsubscribed} subscription(s) at ${opts.post} unsubscribed\n`);
    });

  subscribers
    .command('export')
    .description("a post's list as CSV (audited as subscribers.exported)")
    .requiredOption('--post <code>', 'post code, e.g. tokyo', parseSlug)
    .option('--status <status>', SUBSCRIPTION_STATUSES.join('|'), choice(SUBSCRIPTION_STATUSES))
    .option('--out <file>', 'write the CSV to this file (default: standard output)')
    .option('--as <id>', 'who exports (recorded in the audit trail)', parseActorId)
    .action(async (opts: { post: string; status?: ListOpts['status']; out?: string; as?: string }) => {
      const ctx = cliContext();
      await knownPost(ctx, opts.post);
      const filter = opts.status ? { status: opts.status } : {};
      if (!opts.out) {
        // Page by page to standard output, waiting for a slow pipe (memory holds one page).
        await exportSubscribers(ctx.staff, actorOf(opts), opts.post, filter, (chunk) =>
          process.stdout.write(chunk) ? undefined : once(process.stdout, 'drain').then(() => undefined),
        );
        return;
      }
      // Into a file beside the target, renamed at the end: a failed export leaves no half a list.
      const partial = `${opts.out}.partial`;
      const file = await open(partial, 'w').catch((error: NodeJS.ErrnoException) => {
        throw new ValidationError(`--out: cannot write ${opts.out} (${error.code ?? error.message})`);
      });
      try {
        const { rows } = await exportSubscribers(
          ctx.staff,
          actorOf(opts),
          opts.post,
          filter,
          async (chunk) => {
            await file.write(chunk);
          },
        );
        await file.close();
        await rename(partial, opts.out);
        process.stderr.write(`${rows} row(s) written to ${opts.out}\n`);
      } catch (error) {
        await file.close().catch(() => undefined);
        await rm(partial, { force: true });
        throw error;
      }
    });

  subscribers
    .command('show')
    .description('GDPR right of access: everything held about one address, as JSON (audited)')
    .argument('<email>', 'the address')
    .option('--as <id>', 'who reads (recorded in the audit trail)', parseActorId)
    .action(async (email: string, opts: { as?: string }) => {
      printJson(await personalData(cliContext().staff, actorOf(opts), email));
    });

  subscribers
    .command('erase')
    .description('GDPR erasure: remove the person from every table; a keyed hash stays as a suppression')
    .argument('<email>', 'the address')
    .option('--yes', 'really erase (cannot be undone)', false)
    .option('--as <id>', 'who erases (recorded in the audit trail)', parseActorId)
    .option('--json', 'print JSON', false)
    .action(async (email: string, opts: { yes: boolean; as?: string; json: boolean }) => {
      if (!opts.yes) throw new ValidationError('erasure cannot be undone: run again with --yes');
      const out = await erasePerson(cliContext().staff, actorOf(opts), email);
      if (opts.json) return printJson(out);
      const r = out.removed;
      process.stdout.write(
        `erased (${out.pseudonym}): ${r.subscriber} subscriber item(s), ${r.sends} send record(s), ${r.events} event(s) removed; ${r.audit} audit entr(ies) pseudonymised\n`,
      );
    });

  const suppressions = group(program, 'suppressions', 'addresses never mailed again, by any post');

  suppressions
    .command('list')
    .description('suppressed addresses, newest first')
    .option('--reason <reason>', SUPPRESSION_REASONS.join('|'), choice(SUPPRESSION_REASONS))
    .option('--limit <n>', 'rows per page (default 100)', parseCount)
    .option('--cursor <cursor>', 'the cursor printed after the previous page')
    .option('--json', 'print JSON', false)
    .action(async (opts: { reason?: SuppressionReason; limit?: number; cursor?: string; json: boolean }) => {
      const page = await listSuppressions(cliContext().staff, opts.reason, {
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
      });
      if (opts.json) return printJson(page);
      const rows = page.items.map((s) => ({
        email: s.email,
        reason: s.reason,
        at: s.at,
        detail: s.detail ?? '',
      }));
      process.stdout.write(`${formatTable(rows, ['email', 'reason', 'at', 'detail'])}\n`);
      if (page.cursor) process.stdout.write(`more: --cursor ${page.cursor}\n`);
    });

  for (const [name, description] of [
    ['add', 'suppress an address for every post (audited)'],
    ['remove', 'lift a suppression (audited)'],
  ] as const) {
    suppressions
      .command(name)
      .description(description)
      .argument('<email>', 'the address')
      .requiredOption('--reason <text>', 'why (one line, recorded in the audit trail)')
      .option('--as <id>', 'who acts (recorded in the audit trail)', parseActorId)
      .option('--json', 'print JSON', false)
      .action(async (email: string, opts: { reason: string; as?: string; json: boolean }) => {
        const ctx = cliContext();
        const run = name === 'add' ? addSuppression : removeSuppression;
        const out = await run(ctx.staff, actorOf(opts), email, opts.reason);
        if (opts.json) return printJson(out);
        process.stdout.write(`${out.email}: ${name === 'add' ? 'suppressed' : 'no longer suppressed'}\n`);
      });
  }
}
