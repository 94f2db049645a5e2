import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type { AppContext } from '../../app';
import { type Actor, actorFor } from '../../core/access';
import { ValidationError } from '../../core/errors';
import { LANGUAGES, type Language } from '../../core/model';
import type { Role } from '../../core/roles';
import {
  type CrisisInput,
  type CrisisPlan,
  type CrisisSummary,
  parseCrisisInput,
  planCrisisAlert,
  startCrisisAlert,
  summariseCrisis,
} from '../../sending/crisis';
import { EMPTY_PROGRESS, remaining, type SendProgress } from '../../sending/model';
import { parseActorId, parseSlug } from '../args';
import { cliContext } from '../context';
import { readJsonFile } from '../json-file';
import { callLocalApi } from '../local-api';
import { formatTable } from '../output';

/**
 * `missive crisis send`: who gets the alert in which language, a question, then the
 * send and its progress. The counts come from the store; the send goes through the
 * running local stack's API locally (its queues live in its process) and straight
 * to the crisis queue on AWS.
 */

const CRISIS_ROLES: readonly Role[] = ['spokesperson', 'admin'];

interface SendOptions {
  posts?: string[];
  file?: string;
  subject?: string;
  text?: string;
  language?: Language;
  yes: boolean;
  dryRun: boolean;
  wait: boolean;
  as?: string;
  role: Role;
  json: boolean;
}

const parsePosts = (value: string): string[] =>
  value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(parseSlug);

function parseLanguage(value: string): Language {
  const language = LANGUAGES.find((l) => l === value);
  if (!language) throw new InvalidArgumentError(`must be one of ${LANGUAGES.join(', ')}`);
  return language;
}

function parseCrisisRole(value: string): Role {
  const role = CRISIS_ROLES.find((r) => r === value);
  if (!role) throw new InvalidArgumentError(`must be ${CRISIS_ROLES.join(' or ')} (who may send alerts)`);
  return role;
}

async function readAlertFile(file: string): Promise<Record<string, unknown>> {
  // UTF-8 checked (with the line of a Latin-1 byte), bad JSON by line and column.
  const data = await readJsonFile(file);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ValidationError(
      `${file}: must be a JSON object like {"messages": {"en": {"subject", "text"}}}`,
    );
  return data as Record<string, unknown>;
}

/** The alert from --file, or from --subject/--text/--language; the posts from --posts or the file. */
async function alertInput(opts: SendOptions): Promise<CrisisInput> {
  const flags = opts.subject !== undefined || opts.text !== undefined || opts.language !== undefined;
  if (opts.file && flags)
    throw new ValidationError('give the alert in --file or with --subject/--text/--language, not both');
  if (!opts.file && !(opts.subject && opts.text && opts.language))
    throw new ValidationError('give the alert with --file FILE, or with --subject, --text and --language');
  const raw = opts.file
    ? await readAlertFile(opts.file)
    : { messages: { [opts.language as Language]: { subject: opts.subject, text: opts.text } } };
  if (opts.posts && raw.posts !== undefined)
    throw new ValidationError(`give the posts once: in --posts or as "posts" in ${opts.file}`);
  if (!opts.posts && raw.posts === undefined)
    throw new ValidationError('which posts? give --posts CODE,CODE (see `missive post list`)');
  return parseCrisisInput({ ...raw, ...(opts.posts ? { posts: opts.posts } : {}) }, opts.file ?? 'alert');
}

function showPlan(summary: CrisisSummary, languages: readonly Language[]): void {
  const row = (post: string, s: Omit<CrisisSummary, 'posts'>) => ({
    post,
    recipients: s.recipients,
    ...Object.fromEntries(languages.map((l) => [l, s.byLanguage[l] ?? 0])),
    'not-own-language': s.fallback,
    duplicates: s.duplicates,
  });
  const rows = [...summary.posts.map((p) => row(p.post, p)), row('total', summary)];
  process.stdout.write(
    `${formatTable(rows, ['post', 'recipients', ...languages, 'not-own-language', 'duplicates'])}\n`,
  );
  process.stdout.write(
    'not-own-language: people whose preferred language the alert lacks (they get the nearest one it has);\n' +
      'duplicates: people reached through a post listed before or a second audience (sent once).\n',
  );
}

async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new ValidationError('not sent: no terminal to ask for confirmation; add --yes to send');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function send(
  ctx: AppContext,
  actor: Actor,
  plan: CrisisPlan,
): Promise<{ editions: string[]; summary: CrisisSummary }> {
  if (ctx.settings.mode === 'local') {
    // The stack's queues live in its process: its API sends the alert, as this person.
    // (Crisis roles are network-wide: the post argument grants nothing here.)
    const { editions, ...summary } = await callLocalApi<CrisisSummary & { editions: { id: string }[] }>(
      ctx,
      actor,
      plan.input.posts[0] ?? '',
      'POST',
      '/crisis',
      plan.input,
    );
    return { editions: editions.map((e) => e.id), summary };
  }
  const deps = { ...ctx.sending.dispatch, posts: ctx.repos.posts, subscribers: ctx.repos.subscribers };
  const editions = await startCrisisAlert(deps, actor, plan);
  return { editions: editions.map((e) => e.id), summary: summariseCrisis(plan, editions) };
}

const total = (all: readonly SendProgress[]): SendProgress =>
  all.reduce(
    (t, p) => ({
      queued: t.queued + p.queued,
      sent: t.sent + p.sent,
      skipped: t.skipped + p.skipped,
      failed: t.failed + p.failed,
      duplicates: t.duplicates + p.duplicates,
      overlaps: t.overlaps + p.overlaps,
      dispatchPending: t.dispatchPending + p.dispatchPending,
    }),
    EMPTY_PROGRESS,
  );

function describe(status: string, p: SendProgress): string {
  const parts = [status, `${p.queued} queued`, `${p.sent} sent`];
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  if (p.failed) parts.push(`${p.failed} failed`);
  parts.push(`${remaining(p)} remaining`);
  return parts.join(', ');
}

/** The alert's progress over all its editions until each is sent (JSON lines with --json). */
async function followProgress(ctx: AppContext, ids: readonly string[], json: boolean): Promise<void> {
  const tty = process.stderr.isTTY && !json;
  let lastLine = 0;
  for (;;) {
    const statuses = await Promise.all(ids.map(async (id) => (await ctx.repos.editions.get(id))?.status));
    const p = total(await Promise.all(ids.map((id) => ctx.sending.dispatch.progress.read(id))));
    const done = statuses.every((s) => s === 'sent' || s === 'cancelled');
    const status = done ? (statuses.includes('sent') ? 'sent' : 'cancelled') : 'sending';
    if (json) process.stdout.write(`${JSON.stringify({ status, progress: p, remaining: remaining(p) })}\n`);
    else if (tty) {
      const width = 30;
      const settled = p.queued - remaining(p);
      const filled = Math.round((Math.min(settled, p.queued) / Math.max(p.queued, 1)) * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${describe(status, p)}   `,
      );
    } else if (done || Date.now() - lastLine > 5000) {
      // Not a terminal (a log, CI): a line every 5 s instead of a bar.
      process.stderr.write(`${describe(status, p)}\n`);
      lastLine = Date.now();
    }
    if (done) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (tty) process.stderr.write('\n');
}

export function registerCrisis(program: Command): void {
  const crisis = program.command('crisis').description('crisis alerts to the consular audiences of posts');
  crisis
    .command('send')
    .description(
      'send a crisis alert now: shows how many people get which language per post, asks, then shows progress',
    )
    .option('--posts <codes>', 'comma-separated post codes, e.g. tokyo,washington', parsePosts)
    .option(
      '--file <path>',
      'the alert as JSON: {"messages": {"en": {"subject", "text"}, ...}} (and "posts")',
    )
    .option('--subject <text>', 'subject of an alert in one language (with --text and --language)')
    .option('--text <text>', 'text of an alert in one language')
    .option('--language <xx>', `language of --subject and --text: ${LANGUAGES.join(', ')}`, parseLanguage)
    .option('--yes', 'send without asking', false)
    .option('--dry-run', 'show who would get which language; send nothing', false)
    .option('--no-wait', 'return once the alert is queued')
    .option('--as <id>', 'who sends it (recorded in the audit trail)', parseActorId)
    .option('--role <role>', `the sender's role: ${CRISIS_ROLES.join(' or ')}`, parseCrisisRole, 'admin')
    .option('--json', 'print JSON lines: the plan, the send, then its progress', false)
    .addHelpText(
      'after',
      '\nEveryone is reached: a person whose language the alert lacks gets, in order, their subscription\n' +
        "language, the post's languages, then en, fr, nl, de (docs/sending.md). Example:\n" +
        '  missive crisis send --posts tokyo --language en --subject "Typhoon warning" --text "Stay indoors."',
    )
    .action(async (opts: SendOptions) => {
      const input = await alertInput(opts);
      const ctx = cliContext();
      const actor = actorFor({ id: opts.as ?? `cli:${userInfo().username}`, grants: [{ role: opts.role }] });
      const deps = { ...ctx.sending.dispatch, posts: ctx.repos.posts, subscribers: ctx.repos.subscribers };
      const plan = await planCrisisAlert(deps, input);
      const planned = summariseCrisis(plan);
      if (opts.json) process.stdout.write(`${JSON.stringify({ plan: planned })}\n`);
      else showPlan(planned, Object.keys(input.messages) as Language[]);
      if (opts.dryRun) return;
      if (!opts.yes && !(await confirmed(`Send this alert to ${planned.recipients} people now? [y/N] `))) {
        process.stderr.write('not sent\n');
        process.exitCode = 1;
        return;
      }
      const sent = await send(ctx, actor, plan);
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ editions: sent.editions, ...sent.summary })}\n`);
      else
        process.stdout.write(
          `queued for ${sent.summary.recipients} people (editions ${sent.editions.join(', ')}): on the crisis queue, ahead of any newsletter\n`,
        );
      if (opts.wait) await followProgress(ctx, sent.editions, opts.json);
    });
}
