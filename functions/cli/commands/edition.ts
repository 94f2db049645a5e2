import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { fileMailer } from '../../adapters/ses/mailer';
import { type Actor, actorFor } from '../../core/access';
import { NotFoundError, ValidationError } from '../../core/errors';
import { ROLES, type Role } from '../../core/roles';
import { type Edition, parseEditionInput } from '../../editions/model';
import {
  approveEdition,
  cancelEdition,
  cloneEdition,
  createEdition,
  scheduleEdition,
  submitEdition,
  updateEdition,
  variantRender,
} from '../../editions/service';
import { previewHtml, previewText } from '../../rendering/personalise';
import { dryRunSend } from '../../sending/dry-run';
import { remaining, type SendProgress } from '../../sending/model';
import { sendNow } from '../../sending/send-now';
import { testSend } from '../../sending/test-send';
import { parseActorId, parseSlug } from '../args';
import { cliContext } from '../context';
import { callLocalApi } from '../local-api';
import { formatTable, printJson } from '../output';

/**
 * The CLI talks to the store directly, as an operator: it acts as `--as` (default
 * cli:<login>) with the roles of `--role` (default admin), and every action is in
 * the audit trail under that name.
 */
function actorOf(opts: { as?: string; role?: Role[] }): Actor {
  const roles: readonly Role[] = opts.role?.length ? opts.role : ['admin'];
  return actorFor({ id: opts.as ?? `cli:${userInfo().username}`, grants: roles.map((role) => ({ role })) });
}

const parseRole = (v: string, acc: Role[]): Role[] => {
  const role = ROLES.find((r) => r === v);
  if (!role) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return [...acc, role];
};

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
}

async function load(id: string): Promise<{ ctx: ReturnType<typeof cliContext>; edition: Edition }> {
  const ctx = cliContext();
  const edition = await ctx.repos.editions.get(id);
  if (!edition) throw new NotFoundError(`no edition "${id}": see \`missive edition list --post CODE\``);
  return { ctx, edition };
}

function show(edition: Edition, json: boolean): void {
  if (json) {
    printJson({ edition });
    return;
  }
  process.stdout.write(
    `${edition.id}  ${edition.status}  ${edition.post}  "${edition.title}"  (version ${edition.version}, ${edition.variants.length} variants)\n`,
  );
}

function describeProgress(status: string, p: SendProgress): string {
  const parts = [`${status}`, `${p.queued} queued`, `${p.sent} sent`];
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.overlaps) parts.push(`${p.overlaps} in two audiences (sent once)`);
  if (p.duplicates) parts.push(`${p.duplicates} duplicates across posts (sent once)`);
  parts.push(`${remaining(p)} remaining`);
  if (p.note) parts.push(p.note);
  return parts.join(', ');
}

/** A live progress bar until the edition is sent or cancelled (JSON lines with --json). */
async function followProgress(ctx: ReturnType<typeof cliContext>, id: string, json: boolean): Promise<void> {
  const tty = process.stderr.isTTY && !json;
  let lastLine = 0;
  for (;;) {
    const edition = await ctx.repos.editions.get(id);
    const p = await ctx.sending.dispatch.progress.read(id);
    const done = p.sent + p.skipped + p.failed + p.overlaps;
    const status = edition?.status ?? 'unknown';
    if (json) process.stdout.write(`${JSON.stringify({ status, progress: p, remaining: remaining(p) })}\n`);
    else if (tty) {
      const total = Math.max(p.queued, 1);
      const width = 30;
      const filled = Math.round((Math.min(done, total) / total) * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${describeProgress(status, p)}   `,
      );
    } else if (Date.now() - lastLine > 5000) {
      // Not a terminal (a log, CI): a line every 5 s instead of a bar.
      process.stderr.write(`${describeProgress(status, p)}\n`);
      lastLine = Date.now();
    }
    if (status === 'sent' || status === 'cancelled') break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (tty) process.stderr.write('\n');
  if (!json)
    process.stdout.write(`${describeProgress('done', await ctx.sending.dispatch.progress.read(id))}\n`);
}

function withActor(cmd: Command): Command {
  return cmd
    .option('--as <id>', 'who acts (recorded in the audit trail)', parseActorId)
    .option('--role <role>', 'a role the actor holds (repeatable; default admin)', parseRole, [] as Role[])
    .option('--json', 'print JSON', false);
}

export function registerEdition(program: Command): void {
  const edition = program.command('edition').description('editions: compose, review, schedule, preview');

  edition
    .command('list')
    .description("a post's editions, newest first")
    .requiredOption('--post <code>', 'post code (hq for headquarters)', parseSlug)
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      const page = await cliContext().repos.editions.listByPost(opts.post, { limit: 200 });
      if (opts.json) return printJson({ editions: page.items });
      const rows = page.items.map((e) => ({
        id: e.id,
        status: e.status,
        variants: e.variants,
        updated: e.updatedAt.slice(0, 16),
        title: e.title,
      }));
      process.stdout.write(`${formatTable(rows, ['id', 'status', 'variants', 'updated', 'title'])}\n`);
    });

  edition
    .command('show')
    .argument('<id>')
    .description('one edition')
    .option('--json', 'print JSON', false)
    .action(async (id: string, opts) => show((await load(id)).edition, opts.json));

  withActor(
    edition.command('create').description('create a draft from a JSON file (title, sensitive, variants)'),
  )
    .requiredOption('--post <code>', 'post code', parseSlug)
    .requiredOption('--file <path>', 'edition JSON')
    .action(async (opts) => {
      const input = parseEditionInput(await readJson(opts.file), opts.file);
      show(await createEdition(cliContext().editions, actorOf(opts), opts.post, input), opts.json);
    });

  withActor(edition.command('update').argument('<id>').description('replace an edition from a JSON file'))
    .requiredOption('--file <path>', 'edition JSON')
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      const input = parseEditionInput(await readJson(opts.file), opts.file);
      show(await updateEdition(ctx.editions, actorOf(opts), current, input), opts.json);
    });

  withActor(
    edition
      .command('clone')
      .argument('<id>')
      .description('copy an edition as a new draft, to its post or another'),
  )
    .option('--post <code>', 'target post (default: the same post)', parseSlug)
    .action(async (id: string, opts) => {
      const { ctx, edition: source } = await load(id);
      show(await cloneEdition(ctx.editions, actorOf(opts), source, opts.post ?? source.post), opts.json);
    });

  const step = (
    name: string,
    description: string,
    run: (
      ctx: ReturnType<typeof cliContext>,
      actor: Actor,
      e: Edition,
      opts: Record<string, string>,
    ) => Promise<Edition>,
  ) =>
    withActor(edition.command(name).argument('<id>').description(description)).action(
      async (id: string, opts) => {
        const { ctx, edition: current } = await load(id);
        show(await run(ctx, actorOf(opts), current, opts), opts.json);
      },
    );
  step('submit', 'submit for review (approved at once when no approval is needed)', (ctx, a, e) =>
    submitEdition(ctx.editions, a, e),
  );
  step('approve', 'approve an edition in review (not its author)', (ctx, a, e) =>
    approveEdition(ctx.editions, a, e),
  );
  step('cancel', 'cancel an edition before it sends', (ctx, a, e) => cancelEdition(ctx.editions, a, e));
  withActor(edition.command('schedule').argument('<id>').description('schedule an approved edition'))
    .option('--at <iso>', 'when to send (default now)')
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      show(await scheduleEdition(ctx.editions, actorOf(opts), current, opts.at), opts.json);
    });

  withActor(
    edition
      .command('send')
      .argument('<id>')
      .description('send an approved edition now; shows its progress until done'),
  )
    .option('--dry-run', 'build every message as it would be sent, write .eml files, send nothing', false)
    .option('--out <dir>', 'where --dry-run writes the .eml files')
    .option('--no-wait', 'return once the send is scheduled')
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      if (opts.dryRun) {
        if (!opts.out) throw new ValidationError('--dry-run needs --out DIR (where the .eml files go)');
        const mailer = fileMailer(opts.out, (n) => {
          // A rewritten line on a terminal; a log (not a terminal) gets one line per 1,000.
          if (opts.json) return;
          if (process.stderr.isTTY && n % 100 === 0) process.stderr.write(`\rbuilt ${n} messages`);
          else if (!process.stderr.isTTY && n % 1000 === 0) process.stderr.write(`built ${n} messages\n`);
        });
        const result = await dryRunSend(ctx.sending, current, mailer);
        if (opts.json) return printJson({ dryRun: true, out: opts.out, ...result });
        if (process.stderr.isTTY) process.stderr.write('\n');
        process.stdout.write(
          `dry run: ${result.written} messages written to ${opts.out} (${result.skipped} skipped); nothing sent, nothing marked\n`,
        );
        for (const [variant, n] of Object.entries(result.byVariant))
          process.stdout.write(`  ${variant}: ${n}\n`);
        return;
      }
      // Started now by this person (the audit trail names them): sendNow on AWS's queues, or
      // locally through the running stack's API, whose queues live in its process.
      const actor = actorOf(opts);
      const started =
        ctx.settings.mode === 'aws'
          ? await sendNow({ editions: ctx.editions, dispatch: ctx.sending.dispatch }, actor, current)
          : (
              await callLocalApi<{ edition: Edition }>(
                ctx,
                actor,
                current.post,
                'POST',
                `/posts/${encodeURIComponent(current.post)}/editions/${encodeURIComponent(current.id)}/send`,
              )
            ).edition;
      if (!opts.wait) return show(started, opts.json);
      await followProgress(ctx, id, opts.json);
    });

  edition
    .command('status')
    .argument('<id>')
    .description("an edition's send progress: queued, sent, skipped, failed, remaining")
    .option('--json', 'print JSON', false)
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      const progress = await ctx.sending.dispatch.progress.read(id);
      if (opts.json) return printJson({ status: current.status, progress, remaining: remaining(progress) });
      process.stdout.write(`${describeProgress(current.status, progress)}\n`);
    });

  edition
    .command('preview')
    .argument('<id>')
    .description('render one variant to an HTML file')
    .requiredOption('--audience <id>', 'audience of the variant')
    .requiredOption('--lang <xx>', 'language of the variant')
    .requiredOption('--out <file>', 'where to write the HTML')
    .option('--text', 'write the plain-text part instead', false)
    .option('--json', 'print JSON', false)
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      const render = await variantRender(ctx.editions, current, opts.audience, opts.lang);
      await writeFile(
        opts.out,
        opts.text
          ? previewText(render, ctx.editions.labels(opts.lang))
          : previewHtml(render, ctx.editions.labels(opts.lang)),
      );
      if (opts.json) return printJson({ out: opts.out, subject: render.subject, links: render.links.length });
      process.stdout.write(`wrote ${opts.out} ("${render.subject}", ${render.links.length} links)\n`);
    });

  edition
    .command('test-send')
    .argument('<id>')
    .description('send one variant to a few addresses, with [TEST] before the subject')
    .requiredOption(
      '--to <address>',
      'recipient (repeatable, at most 10)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .requiredOption('--audience <id>', 'audience of the variant')
    .requiredOption('--lang <xx>', 'language of the variant')
    .option('--json', 'print JSON', false)
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      const sent = await testSend(ctx.editions, current, opts.audience, opts.lang, opts.to);
      if (opts.json) return printJson({ sent });
      for (const s of sent) process.stdout.write(`sent to ${s.to} (${s.messageId})\n`);
    });
}
