import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram, main } from '../../functions/cli/main';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { item, rss } from '../helpers/feeds';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('missive CLI: bad input', SPAWNING, () => {
  it('a malformed endpoint setting: one line, exit 2', async () => {
    const r = await missive(['post', 'list'], { MISSIVE_DYNAMODB_ENDPOINT: 'localhost:8000' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^missive: bad setting MISSIVE_DYNAMODB_ENDPOINT: must be an http\(s\) URL/);
  });

  it('a bad flag value or unknown command: one line, exit 2', async () => {
    const port = await missive(['local', '--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port.*must be a port number/);
    const unknown = await missive(['pots', 'list']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'pots'/);
    noStack(unknown.stderr);
    const slug = await missive(['post', 'show', 'Tokyo!']);
    expect(slug.code).toBe(2);
  });

  it('an unreachable stack: says what to do, exit 1, no stack trace', async () => {
    const r = await missive(['post', 'list'], { MISSIVE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /cannot reach DynamoDB at http:\/\/127\.0\.0\.1:9 \(start the local stack with `npm start`/,
    );
    noStack(r.stderr);
  });

  it('has --help on every subcommand', async () => {
    // In-process through main(), the binary's own entry: one spawned CLI (below) proves
    // the binary, and ~20 spawns of tsx would make this test a measure of the machine's load.
    const paths = leafCommands(buildProgram());
    expect(paths).toContainEqual(['edition', 'send']);
    expect(paths).toContainEqual(['crisis', 'send']);
    for (const path of paths) {
      const { code, stdout } = await inProcess([...path, '--help']);
      expect(code, path.join(' ')).toBe(0);
      expect(stdout, path.join(' ')).toMatch(new RegExp(`^Usage: missive ${path.join(' ')} `));
    }
    const spawned = await missive(['edition', 'send', '--help']);
    expect(spawned.code).toBe(0);
    expect(spawned.stdout).toMatch(/^Usage: missive edition send /);
  });
});

/** Every runnable command's words, e.g. ["edition", "send"]. */
function leafCommands(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return sub.commands.length ? leafCommands(sub, path) : [path];
  });
}

/** main() in this process, its standard output captured. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout };
  } finally {
    write.mockRestore();
  }
}

describe('missive CLI against a running local stack', SPAWNING, () => {
  let stack: LocalStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(), schedulerMs: 200 }));
    env = stackEnv(stack);
  });
  afterAll(async () => stack?.stop());

  it('post list --json prints the posts for scripts', async () => {
    const r = await missive(['post', 'list', '--json'], env);
    expect(r.code).toBe(0);
    const { posts } = JSON.parse(r.stdout);
    expect(posts).toHaveLength(9); // eight posts and headquarters
    expect(posts[0]).toHaveProperty('audiences');
  });

  it('post list prints a table for people', async () => {
    const r = await missive(['post', 'list'], env);
    expect(r.stdout).toMatch(/^CODE\s+NAME/);
    expect(r.stdout).toMatch(/sao-paulo\s+Consulate General of Belgium in São Paulo/);
  });

  it('post show names an unknown post and exits 2', async () => {
    const r = await missive(['post', 'show', 'atlantis'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('missive: no post "atlantis": see `missive post list`\n');
  });

  it('token signs a staff token the running stack accepts, for that post only', async () => {
    const keys = stack.ctx.settings.signingKeys.map((k) => `${k.id}:${k.secret}`).join(',');
    const r = await missive(['token', '--role', 'post-editor', '--post', 'tokyo'], {
      MISSIVE_SIGNING_KEYS: keys,
    });
    expect(r.code).toBe(0);
    const headers = { authorization: `Bearer ${r.stdout.trim()}` };
    expect((await fetch(`${stack.urls.api}/posts/tokyo`, { headers })).status).toBe(200);
    expect((await fetch(`${stack.urls.api}/posts/berlin`, { headers })).status).toBe(404);
  });

  it('token explains a role that needs a post, and a missing key', async () => {
    const keys = stack.ctx.settings.signingKeys.map((k) => `${k.id}:${k.secret}`).join(',');
    const r = await missive(['token', '--role', 'post-editor'], { MISSIVE_SIGNING_KEYS: keys });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('missive: --role post-editor needs --post CODE (the post it works for)\n');
    const none = await missive(['token', '--role', 'admin', '--data-dir', '/nonexistent']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no local signing key in \/nonexistent\/: start the stack once/);
  });

  it('routes --json lists every route with its rule', async () => {
    const r = await missive(['routes', '--json']);
    const { routes } = JSON.parse(r.stdout) as {
      routes: { method: string; path: string; access: unknown }[];
    };
    expect(routes.find((x) => x.path === '/health')?.access).toEqual({ kind: 'public' });
    expect(routes.find((x) => x.path === '/posts/{code}/subscriptions')?.access).toMatchObject({
      kind: 'staff',
      scope: 'post',
    });
  });

  it('content import: a dry run reports and writes nothing; a real one stores the items', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'missive-feed-'));
    const file = join(dir, 'de.xml');
    await writeFile(file, rss([item(1), item(2, { title: '', description: '' })]));
    const dry = await missive(
      ['content', 'import', '--file', file, '--lang', 'de', '--dry-run', '--json'],
      env,
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, status: 'partial', new: 1 });
    expect((await stack.ctx.content.content.query({ language: 'de' })).items).toHaveLength(0);
    const real = await missive(['content', 'import', '--file', file, '--lang', 'de'], env);
    expect(real.stdout).toMatch(/de\s+partial\s+1\s+0\s+0\s+1/);
    expect(real.stdout).toMatch(/skipped item #2: no title and no text/);
    expect((await stack.ctx.content.content.query({ language: 'de' })).items).toHaveLength(1);
  });

  it('content import: a missing or broken file is one line and exit 2', async () => {
    const missing = await missive(['content', 'import', '--file', '/nope.xml', '--lang', 'fr'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('missive: cannot read /nope.xml: ENOENT\n');
    const dir = await mkdtemp(join(tmpdir(), 'missive-feed-'));
    await writeFile(join(dir, 'cut.xml'), rss([item(1)]).slice(0, 200));
    const cut = await missive(['content', 'import', '--file', join(dir, 'cut.xml'), '--lang', 'fr'], env);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/cut\.xml: malformed XML/);
    const lang = await missive(['content', 'import', '--file', join(dir, 'cut.xml'), '--lang', 'xx'], env);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toMatch(/--lang.*must be one of fr, nl, en, de/);
  });

  it('content list --json gives the synced sample content, newest first', async () => {
    const r = await missive(['content', 'list', '--lang', 'nl', '--kind', 'famous-belgian', '--json'], env);
    const { items } = JSON.parse(r.stdout) as { items: { kind: string; publishedAt: string }[] };
    expect(items.length).toBeGreaterThan(5);
    expect(items.every((i) => i.kind === 'famous-belgian')).toBe(true);
    expect([...items].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))).toEqual(items);
  });

  it('edition list and preview: every seeded post has an approved edition that renders', async () => {
    const list = await missive(['edition', 'list', '--post', 'berlin', '--json'], env);
    const { editions } = JSON.parse(list.stdout) as {
      editions: { id: string; status: string; variants: number }[];
    };
    expect(editions[0]?.status).toBe('approved');
    expect(editions[0]?.variants).toBe(12); // 3 audiences x 4 languages
    const out = join(await mkdtemp(join(tmpdir(), 'missive-preview-')), 'berlin.html');
    const preview = await missive(
      ['edition', 'preview', editions[0]?.id ?? '', '--audience', 'cultural', '--lang', 'de', '--out', out],
      env,
    );
    expect(preview.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Botschaft des Königreichs Belgien in Deutschland');
    expect(html).toContain('Abmelden');
  });

  it('edition create names the file and field of a mistake; template check names the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'missive-ed-'));
    await writeFile(
      join(dir, 'e.json'),
      JSON.stringify({
        title: 'x',
        variants: [{ audience: 'economic', language: 'en', subject: '', blocks: [] }],
      }),
    );
    const r = await missive(['edition', 'create', '--post', 'tokyo', '--file', join(dir, 'e.json')], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/e\.json: variants\.0\.subject: /);
    await writeFile(
      join(dir, 'bad.mjml'),
      '<mjml><mj-body>\n<mj-section>\n<mj-colum></mj-colum></mj-section></mj-body></mjml>',
    );
    const t = await missive(['template', 'check', join(dir, 'bad.mjml')]);
    expect(t.code).toBe(2);
    expect(t.stdout).toMatch(/bad\.mjml:3: mj-colum: Element mj-colum doesn't exist/);
  });

  it('edition send --dry-run writes one .eml per recipient and sends nothing; send delivers and shows progress', async () => {
    const ed = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0]?.id ?? '';
    const out = await mkdtemp(join(tmpdir(), 'missive-dry-'));
    const dry = await missive(['edition', 'send', ed, '--dry-run', '--out', out, '--json'], env);
    expect(dry.code).toBe(0);
    const result = JSON.parse(dry.stdout) as { written: number };
    const files = (await readdir(out)).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBe(result.written);
    expect(result.written).toBeGreaterThan(5);
    const mail = await readFile(join(out, files[0] ?? ''), 'utf8');
    expect(mail).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect((await stack.ctx.sending.dispatch.progress.read(ed)).queued).toBe(0);

    const live = await missive(['edition', 'send', ed, '--json', '--as', 'jane.doe'], env);
    expect(live.stderr).toBe('');
    expect(live.code).toBe(0);
    const lines = live.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string; progress: { sent: number } });
    expect(lines.at(-1)?.status).toBe('sent');
    expect(lines.at(-1)?.progress.sent).toBe(result.written);
    // The audit trail names the person who sent it (not the scheduler), then the end of the send.
    const trail = (await stack.ctx.audit.list('tokyo')).items.filter((e) => e.target.id === ed);
    expect(trail.find((e) => e.action === 'edition.sending')?.actor).toBe('jane.doe');
    expect(trail.some((e) => e.action === 'edition.sent')).toBe(true);
  });

  it('seed leaves a seeded store as it is', async () => {
    const r = await missive(['seed', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ loaded: false, posts: 9 });
  });
});
