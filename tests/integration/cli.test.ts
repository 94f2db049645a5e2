import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/log';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from '../helpers/seeds';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'missive.js');

/** Runs the CLI as a user would; asynchronous, so the stack in this process keeps serving. */
function missive(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('missive CLI: bad input', () => {
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
    for (const args of [['local'], ['seed'], ['post', 'list'], ['post', 'show'], ['token'], ['routes']]) {
      const r = await missive([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: missive/);
    }
  });
});

describe('missive CLI against a running local stack', () => {
  let stack: LocalStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    stack = await startLocalStack({
      httpPort: 0,
      sesPort: 0,
      dynamodbPort: 0,
      feedsPort: 0,
      memory: true,
      dataDir: '.data',
      seedsDir: await smallSeeds(),
      env: {},
      log: silentLogger,
    });
    env = { MISSIVE_DYNAMODB_ENDPOINT: stack.urls.dynamodb, MISSIVE_SES_ENDPOINT: stack.urls.ses };
  });
  afterAll(async () => stack?.stop());

  it('post list --json prints the posts for scripts', async () => {
    const r = await missive(['post', 'list', '--json'], env);
    expect(r.code).toBe(0);
    const { posts } = JSON.parse(r.stdout);
    expect(posts).toHaveLength(8);
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

  it('seed leaves a seeded store as it is', async () => {
    const r = await missive(['seed', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ loaded: false, posts: 8 });
  });
});
