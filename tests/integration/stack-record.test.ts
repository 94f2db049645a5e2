import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missive, SPAWNING } from '../helpers/cli';
import { bearer } from '../helpers/stack';
import { type StackProcess, startStackProcess } from '../helpers/stack-process';
import { waitFor } from '../helpers/wait';

/**
 * `npm start` on ports and a data folder of its own: every other command started in
 * the same folder, with no MISSIVE_* variable set, talks to that stack and signs
 * with its key (issue 21, item 1).
 */
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function stackIn(extra: readonly string[] = []): Promise<{ folder: string; stack: StackProcess }> {
  const folder = await mkdtemp(join(tmpdir(), 'missive-record-'));
  dirs.push(folder);
  // Not the default .data/: the CLI must learn it from the record.
  const stack = await startStackProcess(join(folder, 'elsewhere'), extra, undefined, folder);
  children.push(stack.child);
  return { folder, stack };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });

/** The CLI's token is accepted by the stack's API (signed with the stack's own key). */
async function tokenWorks(folder: string, api: string): Promise<void> {
  const token = await missive(['token', '--role', 'admin'], {}, folder);
  expect(token.stderr).toBe('');
  expect(token.code).toBe(0);
  const res = await fetch(`${api}/posts`, { headers: bearer(token.stdout.trim()) });
  expect(res.status).toBe(200);
}

/** A test send from the CLI, whose signed unsubscribe link the stack accepts. */
async function testSendWorks(folder: string, stack: StackProcess): Promise<void> {
  const list = await missive(['edition', 'list', '--post', 'tokyo', '--json'], {}, folder);
  expect(list.stderr).toBe('');
  const { editions } = JSON.parse(list.stdout) as { editions: { id: string }[] };
  const id = editions[0]?.id ?? '';
  const sent = await missive(
    [
      'edition',
      'test-send',
      id,
      '--audience',
      'economic',
      '--lang',
      'en',
      '--to',
      'me@example.org',
      '--json',
    ],
    {},
    folder,
  );
  expect(sent.stderr).toBe('');
  expect(sent.code).toBe(0);
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
    emails: { subject: string; body: { html?: string } }[];
  };
  const mail = store.emails.find((e) => e.subject.startsWith('[TEST]'));
  expect(mail).toBeDefined();
  const link = /href="([^"]*\/unsubscribe\?token=[^"]+)"/.exec(mail?.body.html ?? '')?.[1] ?? '';
  expect(link.startsWith(stack.urls.api)).toBe(true);
  const page = await fetch(link.replaceAll('&amp;', '&'));
  expect(page.status).toBe(200);
}

describe('the CLI finds the stack `npm start` runs', () => {
  it(
    'on its own ports and data folder: post list, token, test-send, status, with no variables set',
    SPAWNING,
    async () => {
      const { folder, stack } = await stackIn();
      const record = join(folder, '.data', 'stack.json');
      expect(statSync(record).mode & 0o777).toBe(0o600);

      const posts = await missive(['post', 'list', '--json'], {}, folder);
      expect(posts.stderr).toBe('');
      expect((JSON.parse(posts.stdout) as { posts: { code: string }[] }).posts.map((p) => p.code)).toContain(
        'tokyo',
      );
      await tokenWorks(folder, stack.urls.api);
      await testSendWorks(folder, stack);
      // The message is kept in that stack's data folder, not in .data/.
      expect(readdirSync(join(folder, 'elsewhere', 'outbox')).length).toBeGreaterThan(0);
      expect(existsSync(join(folder, '.data', 'outbox'))).toBe(false);

      const status = await missive(['status'], {}, folder);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(record);
      expect(status.stdout).toContain(stack.urls.dynamodb);
      expect(status.stdout).toContain(stack.urls.api);
      expect(status.stdout).toMatch(/API\s+\S+\s+ready/);

      // A clean stop removes the record; status then says nothing runs here (exit 1).
      await stop(stack.child);
      expect(existsSync(record)).toBe(false);
    },
  );

  it('in memory: token and test-send sign with the key kept only in the record', SPAWNING, async () => {
    const { folder, stack } = await stackIn(['--memory']);
    await tokenWorks(folder, stack.urls.api);
    await testSendWorks(folder, stack);
    await stop(stack.child);
  });

  it(
    'ignores the record of a stack that died, and names the variable when DynamoDB cannot be reached',
    SPAWNING,
    async () => {
      const { folder, stack } = await stackIn(['--memory']);
      stack.child.kill('SIGKILL');
      await waitFor(async () => stack.child.exitCode !== null || stack.child.signalCode !== null);
      expect(existsSync(join(folder, '.data', 'stack.json'))).toBe(true);
      const status = await missive(
        ['status'],
        { MISSIVE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', MISSIVE_SES_ENDPOINT: 'http://127.0.0.1:9' },
        folder,
      );
      expect(status.stdout).toMatch(/no running stack recorded/);
      expect(status.code).toBe(1);
      const posts = await missive(
        ['post', 'list'],
        { MISSIVE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' },
        folder,
      );
      expect(posts.code).toBe(1);
      expect(posts.stderr).toMatch(
        /cannot reach DynamoDB at http:\/\/127\.0\.0\.1:9 \(start the local stack with `npm start`, or set MISSIVE_DYNAMODB_ENDPOINT/,
      );
    },
  );
});
