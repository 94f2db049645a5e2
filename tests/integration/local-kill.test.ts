import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../functions/adapters/auth/staff-tokens';
import { readLocalSigningKey } from '../../functions/local/stack';
import { SEEDS_DIR } from '../helpers/seeds';
import { startStackProcess } from '../helpers/stack-process';

/**
 * The local stack is the one-machine deployment: `kill -9` in the middle of a send
 * and a restart on the same data must end with everyone mailed exactly once, and
 * the edition "sent" only then.
 */
const POST = 'washington';
const AUDIENCES = ['economic', 'cultural', 'consular'];

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** `missive local` in its own process; a few hundred messages take seconds at this rate: time to kill it mid-send. */
async function startStack(dataDir: string): Promise<{ child: ChildProcess; api: string; output(): string }> {
  const stack = await startStackProcess(dataDir, ['--ses-rate', '40']);
  children.push(stack.child);
  return { child: stack.child, api: stack.urls.api, output: stack.output };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Who must get the edition: confirmed in one of its audiences, not suppressed (from the seeds). */
async function expectedRecipients(): Promise<Set<string>> {
  const rows = parse(await readFile(join(SEEDS_DIR, 'subscribers.csv')), { columns: true }) as Record<
    string,
    string
  >[];
  const suppressed = new Set(
    (
      parse(await readFile(join(SEEDS_DIR, 'suppressions.csv')), { columns: true }) as { email: string }[]
    ).map((s) => s.email.toLowerCase()),
  );
  return new Set(
    rows
      .filter(
        (r) =>
          r.post === POST &&
          r.language === 'en' &&
          r.status === 'confirmed' &&
          AUDIENCES.includes(r.audience ?? ''),
      )
      .map((r) => (r.email ?? '').toLowerCase())
      .filter((email) => !suppressed.has(email)),
  );
}

/** Every message of the edition in the stack's raw outbox, by recipient address. */
async function mailedTo(dataDir: string, editionId: string): Promise<Map<string, number>> {
  const dir = join(dataDir, 'outbox');
  const counts = new Map<string, number>();
  for (const file of await readdir(dir).catch(() => [])) {
    const mail = await simpleParser(await readFile(join(dir, file)));
    if (mail.headers.get('x-missive-edition') !== editionId) continue;
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    const address = (to?.value[0]?.address ?? '').toLowerCase();
    counts.set(address, (counts.get(address) ?? 0) + 1);
  }
  return counts;
}

describe('a local stack killed in the middle of a send', () => {
  it('resumes after a restart and mails every recipient exactly once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'missive-kill-'));
    dirs.push(dataDir);
    const expected = await expectedRecipients();
    expect(expected.size).toBeGreaterThan(150);

    let stack = await startStack(dataDir);
    const secret = (await readLocalSigningKey(dataDir))?.split(':')[1] ?? '';
    const as = async (subject: string, role: 'post-editor' | 'post-approver') => ({
      authorization: `Bearer ${await issueLocalToken(secret, { subject, grants: [{ role, post: POST }], ttlSeconds: 3600 })}`,
      'content-type': 'application/json',
    });
    const editor = await as('kill-test-editor', 'post-editor');
    const approver = await as('kill-test-approver', 'post-approver');
    const call = async (
      api: string,
      method: string,
      path: string,
      headers: Record<string, string>,
      body?: unknown,
    ) => {
      const res = await fetch(`${api}/posts/${POST}/editions${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    const created = (await call(stack.api, 'POST', '', editor, {
      title: 'Killed mid-send',
      variants: AUDIENCES.map((audience) => ({
        audience,
        language: 'en',
        subject: `News for ${audience}`,
        blocks: [{ type: 'local', title: 'Hello', text: 'One message each, whatever happens.' }],
      })),
    })) as { edition: { id: string } };
    const id = created.edition.id;
    await call(stack.api, 'POST', `/${id}/submit`, editor);
    await call(stack.api, 'POST', `/${id}/approve`, approver);
    await call(stack.api, 'POST', `/${id}/send`, editor);

    // Kill it once some, not all, are sent.
    type Progress = { status: string; progress: { queued: number; sent: number }; remaining: number };
    const progress = async (api: string) => (await call(api, 'GET', `/${id}/progress`, editor)) as Progress;
    let before: Progress | undefined;
    const killBy = Date.now() + 120_000;
    while (Date.now() < killBy) {
      before = await progress(stack.api);
      if (before.progress.sent >= 20) break;
      await sleep(50);
    }
    stack.child.kill('SIGKILL');
    await new Promise((r) => (stack.child.exitCode === null ? stack.child.once('exit', r) : r(null)));
    const cut = await mailedTo(dataDir, id);
    expect(before?.status).toBe('sending');
    expect(cut.size).toBeGreaterThan(0);
    expect(cut.size).toBeLessThan(expected.size);

    // Restart on the same data: the queued batches are delivered again, and the send ends.
    stack = await startStack(dataDir);
    let after: Progress | undefined;
    const doneBy = Date.now() + 240_000;
    while (Date.now() < doneBy) {
      after = await progress(stack.api);
      if (after.status === 'sent') break;
      await sleep(500);
    }
    expect(after?.status, `never sent: ${JSON.stringify(after)}\n${stack.output().slice(-3000)}`).toBe(
      'sent',
    );

    const mailed = await mailedTo(dataDir, id);
    expect([...mailed].filter(([, n]) => n > 1)).toEqual([]); // nobody twice
    expect([...expected].filter((e) => !mailed.has(e))).toEqual([]); // everyone
    expect([...mailed.keys()].filter((e) => !expected.has(e))).toEqual([]); // nobody else
    stack.child.kill('SIGTERM');
    await new Promise((r) => (stack.child.exitCode === null ? stack.child.once('exit', r) : r(null)));
  }, 600_000);
});
