import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { fileMailer } from '../../adapters/ses/mailer';
import { type Actor, actorFor, authorize, type Grant } from '../../core/access';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors';
import { HQ_POST, nameIn, type Post } from '../../core/model';
import { ROLES, type Role } from '../../core/roles';
import {
  checkStories,
  type Edition,
  type EditionInput,
  parseEditionDocument,
  parseEditionInput,
} from '../../editions/model';
import { EDITION_SCHEMA_PATH, editionJsonSchema } from '../../editions/schema';
import {
  approveEdition,
  cancelEdition,
  cloneEdition,
  createEdition,
  scheduledTime,
  scheduleEdition,
  submitEdition,
  updateEdition,
  variantRender,
} from '../../editions/service';
import { type OperationOf, ROUTES } from '../../http/routes';
import { previewHtml, previewText } from '../../rendering/personalise';
import { dryRunSend } from '../../sending/dry-run';
import { remaining, type SendProgress } from '../../sending/model';
import { sendNow } from '../../sending/send-now';
import { testSend } from '../../sending/test-send';
import { parseActorId, parseSlug } from '../args';
import { cliContext } from '../context';
import { readJsonFile } from '../json-file';
import { callLocalApi } from '../local-api';
import { formatTable, printJson } from '../output';
import { projectRoot } from '../paths';

/** Roles held for one post (the edition's); the others are network-wide. */
const POST_SCOPED: ReadonlySet<Role> = new Set(['post-editor', 'post-approver', 'analyst']);

/**
 * The CLI talks to the store directly, as an operator: it acts as `--as` (default
 * cli:<login>) with the roles of `--role` (default admin; a post role is held for the
 * edition's post, hq-editor for headquarters), and every action is in the audit trail
 * under that name. The API's rule for the same operation (routes.ts, core/access.ts)
 * decides whether those roles may act: `submit --role analyst` is refused as the API
 * refuses it.
 */
function actorOf(
  opts: { as?: string; role?: Role[] },
  operation: OperationOf<'editions'>,
  post: string,
): Actor {
  const roles: readonly Role[] = opts.role?.length ? opts.role : ['admin'];
  const grants: Grant[] = roles.map((role) =>
    role === 'hq-editor'
      ? { role, post: HQ_POST }
      : POST_SCOPED.has(role) && opts.role?.length
        ? { role, post }
        : { role },
  );
  const principal = { id: opts.as ?? `cli:${userInfo().username}`, grants };
  const rule = ROUTES.find((r) => r.handler === 'editions' && r.operation === operation)?.access;
  const decision = authorize(rule, principal, post);
  if (!decision.allow) {
    const why = decision.status === 404 ? `that role is not held for ${post}` : decision.reason;
    throw new ForbiddenError(`--role ${roles.join(', ')}: ${why} (the API refuses it too)`);
  }
  return actorFor(principal, post);
}

const parseRole = (v: string, acc: Role[]): Role[] => {
  const role = ROLES.find((r) => r === v);
  if (!role) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return [...acc, role];
};

/** Whether a central item exists: a story named in a block must have its variant's language. */
const storyExists =
  (ctx: ReturnType<typeof cliContext>) =>
  async (id: string): Promise<boolean> =>
    (await ctx.content.content.get(id)) !== undefined;

/** A post that exists, or a mistake naming where to find the codes. */
async function postNamed(ctx: ReturnType<typeof cliContext>, code: string): Promise<Post> {
  const post = await ctx.repos.posts.get(code);
  if (!post) throw new NotFoundError(`no post "${code}": see \`missive post list\``);
  return post;
}

/** Writes a file the user named, or one line saying why it cannot be written. */
async function writeOut(file: string, text: string, options: { keep?: boolean } = {}): Promise<void> {
  try {
    // keep: never overwrite (a starter written over an edited edition would lose the work).
    await writeFile(file, text, options.keep ? { flag: 'wx' } : {});
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `no folder ${dirname(resolve(file))}`
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : code === 'EEXIST'
              ? 'it exists: choose another --out, or delete it first'
              : (code ?? 'error');
    throw new ValidationError(`cannot write ${file}: ${why}`);
  }
}

/**
 * A starter edition for a post: one variant per audience and language, each with a
 * placeholder subject and one local block, and the schema's reference for editors.
 */
function starterEdition(post: Post, schemaRef: string): { $schema: string } & EditionInput {
  return {
    $schema: schemaRef,
    title: `${post.name}: newsletter`,
    sensitive: false,
    variants: post.audiences.flatMap((audience) =>
      post.languages.map((language) => ({
        audience: audience.id,
        language,
        title: `${nameIn(audience, language)} (${language}): write the heading`,
        subject: `${audience.name} (${language}): write the subject`,
        preheader: '',
        intro: '',
        blocks: [
          {
            type: 'local' as const,
            title: 'Write a title',
            text: 'Write the text. Add central content with {"type": "central", "story": "..."} (see `missive content list`).',
          },
        ],
      })),
    ),
  };
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
      const ctx = cliContext();
      await postNamed(ctx, opts.post);
      const page = await ctx.repos.editions.listByPost(opts.post, { limit: 200 });
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
      const input = parseEditionInput(await readJsonFile(opts.file), opts.file);
      const actor = actorOf(opts, 'createEdition', opts.post);
      const ctx = cliContext();
      await checkStories(input, storyExists(ctx), opts.file);
      show(await createEdition(ctx.editions, actor, opts.post, input), opts.json);
    });

  withActor(
    edition
      .command('update')
      .argument('<id>')
      .description(
        'replace an edition from a JSON file: as written, or as `edition show --json` printed it (its version must still be current)',
      ),
  )
    .requiredOption('--file <path>', 'edition JSON')
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      const doc = parseEditionDocument(await readJsonFile(opts.file), opts.file);
      if (doc.id !== undefined && doc.id !== id)
        throw new ValidationError(`${opts.file}: id: the file is edition ${doc.id}, not ${id}`);
      const actor = actorOf(opts, 'updateEdition', current.post);
      await checkStories(doc.input, storyExists(ctx), opts.file);
      show(await updateEdition(ctx.editions, actor, current, doc.input, doc.version), opts.json);
    });

  edition
    .command('schema')
    .description(`the JSON Schema of an edition file (also in ${EDITION_SCHEMA_PATH})`)
    .option('--out <file>', 'write it to a file instead of printing it')
    .action(async (opts) => {
      const text = `${JSON.stringify(editionJsonSchema(), null, 2)}\n`;
      if (opts.out) await writeOut(opts.out, text);
      else process.stdout.write(text);
    });

  edition
    .command('new')
    .description('a starter edition file for a post: a variant for each of its audiences and languages')
    .requiredOption('--post <code>', 'post code (hq for headquarters)', parseSlug)
    .option('--out <file>', 'write it to a file instead of printing it')
    .action(async (opts) => {
      const post = await postNamed(cliContext(), opts.post);
      // Editors find the schema from the file's folder: a relative path keeps working in a checkout.
      const schema = resolve(projectRoot, EDITION_SCHEMA_PATH);
      const from = opts.out ? dirname(resolve(opts.out)) : process.cwd();
      const text = `${JSON.stringify(starterEdition(post, relative(from, schema)), null, 2)}\n`;
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      await writeOut(opts.out, text, { keep: true });
      process.stderr.write(
        `wrote ${opts.out}: ${post.audiences.length * post.languages.length} variants; edit it, then \`missive edition create --post ${post.code} --file ${opts.out}\`\n`,
      );
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
      const target = opts.post ?? source.post;
      show(
        await cloneEdition(ctx.editions, actorOf(opts, 'cloneEdition', target), source, target),
        opts.json,
      );
    });

  const step = (
    name: string,
    operation: OperationOf<'editions'>,
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
        show(await run(ctx, actorOf(opts, operation, current.post), current, opts), opts.json);
      },
    );
  step(
    'submit',
    'submitEdition',
    'submit for review (approved at once when no approval is needed)',
    (ctx, a, e) => submitEdition(ctx.editions, a, e),
  );
  step('approve', 'approveEdition', 'approve an edition in review (not its author)', (ctx, a, e) =>
    approveEdition(ctx.editions, a, e),
  );
  step('cancel', 'cancelEdition', 'cancel an edition before it sends', (ctx, a, e) =>
    cancelEdition(ctx.editions, a, e),
  );
  withActor(edition.command('schedule').argument('<id>').description('schedule an approved edition'))
    .option(
      '--at <time>',
      "when to send (default now): 2027-01-05T09:00 is the post's local time; add Z or +01:00 for another zone",
    )
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      const actor = actorOf(opts, 'scheduleEdition', current.post);
      const scheduled = await scheduleEdition(ctx.editions, actor, current, opts.at);
      const when = await scheduledTime(ctx.editions, scheduled);
      if (opts.json) return printJson({ edition: scheduled, scheduledFor: when });
      show(scheduled, false);
      if (when) process.stdout.write(`scheduled for ${when.text}\n`);
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
      const actor = actorOf(opts, 'sendNow', current.post);
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
      await writeOut(
        opts.out,
        opts.text
          ? previewText(render, ctx.editions.labels(opts.lang))
          : previewHtml(render, ctx.editions.labels(opts.lang)),
      );
      if (opts.json) return printJson({ out: opts.out, subject: render.subject, links: render.links.length });
      process.stdout.write(`wrote ${opts.out} ("${render.subject}", ${render.links.length} links)\n`);
    });

  withActor(
    edition
      .command('test-send')
      .argument('<id>')
      .description('send one variant to a few addresses, with [TEST] before the subject'),
  )
    .requiredOption(
      '--to <address>',
      'recipient (repeatable, at most 10)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .requiredOption('--audience <id>', 'audience of the variant')
    .requiredOption('--lang <xx>', 'language of the variant')
    .action(async (id: string, opts) => {
      const { ctx, edition: current } = await load(id);
      actorOf(opts, 'testSend', current.post);
      const sent = await testSend(ctx.editions, current, opts.audience, opts.lang, opts.to);
      if (opts.json) return printJson({ sent });
      for (const s of sent) process.stdout.write(`sent to ${s.to} (${s.messageId})\n`);
    });
}
