import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../functions/core/audit';
import type { LocalStack } from '../../functions/local/stack';
import { startLocalStack } from '../../functions/local/stack';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { members } from '../helpers/people';
import { smallSeeds } from '../helpers/seeds';
import { bearer, stackOptions, tokenFor } from '../helpers/stack';

/**
 * Staff on people: a post's editor lists, searches, exports and removes the post's
 * people, and nobody else's; admins manage suppressions; every read and change is in
 * the audit trail.
 */
let stack: LocalStack;
let tokyoEditor: string;
let berlinEditor: string;
let admin: string;
const tokyo = members(3, { post: 'tokyo', audience: 'economic', language: 'en', prefix: 'tky' });
const berlin = members(2, { post: 'berlin', audience: 'economic', language: 'de', prefix: 'ber' });

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(0) }));
  const named = tokyo.map((p, i) =>
    i === 0 ? { ...p, subscriber: { ...p.subscriber, name: '=HYPERLINK("http://evil.example")' } } : p,
  );
  const pending = tokyo[2];
  if (pending) {
    named[2] = {
      ...pending,
      subscriber: { ...pending.subscriber, name: 'Aiko Tanaka' },
      subscriptions: pending.subscriptions.map((s) => ({
        ...s,
        status: 'pending' as const,
        language: 'fr' as const,
      })),
    };
  }
  await stack.ctx.repos.subscribers.importMany([...named, ...berlin]);
  tokyoEditor = await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]);
  berlinEditor = await tokenFor(stack, [{ role: 'post-editor', post: 'berlin' }]);
  admin = await tokenFor(stack, [{ role: 'admin' }]);
});
afterAll(async () => stack?.stop());

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${stack.urls.api}${path}`, {
    ...init,
    headers: { ...bearer(token), 'content-type': 'application/json', ...(init.headers ?? {}) },
  });

interface RowsPage {
  items: { email: string; name: string }[];
  cursor?: string;
}
const rowsOf = async (res: Response) => (await res.json()) as RowsPage;
const errorOf = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

async function auditOf(post: string | undefined): Promise<AuditEntry[]> {
  return (await stack.ctx.audit.list(post, { limit: 1000 })).items;
}

describe("a post's people, for its editors", () => {
  it("lists the post's people with name and address, filtered by status, language and text; audited", async () => {
    const all = await rowsOf(await api('/posts/tokyo/subscribers', tokyoEditor));
    expect(all.items.map((r: { email: string }) => r.email).sort()).toEqual([
      'tky0@example.org',
      'tky1@example.org',
      'tky2@example.org',
    ]);
    const pending = await rowsOf(await api('/posts/tokyo/subscribers?status=pending', tokyoEditor));
    expect(pending.items.map((r: { name: string }) => r.name)).toEqual(['Aiko Tanaka']);
    const french = await rowsOf(await api('/posts/tokyo/subscribers?lang=fr', tokyoEditor));
    expect(french.items).toHaveLength(1);
    const search = await rowsOf(await api('/posts/tokyo/subscribers?q=TANAKA%20aiko', tokyoEditor));
    expect(search.items.map((r: { email: string }) => r.email)).toEqual(['tky2@example.org']);
    // Paged: one row a page, every row once.
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await rowsOf(
        await api(`/posts/tokyo/subscribers?limit=1${cursor ? `&cursor=${cursor}` : ''}`, tokyoEditor),
      );
      seen.push(...page.items.map((r: { email: string }) => r.email));
      cursor = page.cursor ? encodeURIComponent(page.cursor) : '';
    } while (cursor);
    expect(seen.sort()).toEqual(['tky0@example.org', 'tky1@example.org', 'tky2@example.org']);

    const listed = (await auditOf('tokyo')).filter((e) => e.action === 'subscribers.listed');
    expect(listed.length).toBeGreaterThanOrEqual(4);
    const searched = listed.find((e) => e.detail?.search === true);
    expect(searched?.actor).toBe('user-post-editor');
    // The audit says a search was made, never what was searched for.
    expect(JSON.stringify(listed)).not.toMatch(/tanaka/i);
  });

  it("another post's editor gets 404 for this post's list, export and people", async () => {
    expect((await api('/posts/tokyo/subscribers', berlinEditor)).status).toBe(404);
    expect((await api('/posts/tokyo/subscribers/export', berlinEditor)).status).toBe(404);
    const tokyoId = tokyo[1]?.subscriber.id ?? '';
    expect(
      (await api(`/posts/tokyo/subscribers/${tokyoId}`, berlinEditor, { method: 'DELETE' })).status,
    ).toBe(404);
    // Through Berlin's own post, Tokyo's person does not exist either.
    expect(
      (await api(`/posts/berlin/subscribers/${tokyoId}`, berlinEditor, { method: 'DELETE' })).status,
    ).toBe(404);
    const berlinList = await rowsOf(await api('/posts/berlin/subscribers', berlinEditor));
    expect(berlinList.items.every((r: { email: string }) => r.email.startsWith('ber'))).toBe(true);
    expect((await stack.ctx.repos.subscribers.subscriptionsOf(tokyoId))[0]?.status).toBe('confirmed');
  });

  it('exports the list as CSV, formulas kept as text, audited as subscribers.exported', async () => {
    const res = await api('/posts/tokyo/subscribers/export', tokyoEditor);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.email).sort()).toEqual([
      'tky0@example.org',
      'tky1@example.org',
      'tky2@example.org',
    ]);
    const evil = rows.find((r) => r.email === 'tky0@example.org');
    expect(evil?.name?.startsWith("'=")).toBe(true);
    expect(rows.find((r) => r.email === 'tky2@example.org')).toMatchObject({
      status: 'pending',
      language: 'fr',
    });
    const exported = (await auditOf('tokyo')).find((e) => e.action === 'subscribers.exported');
    expect(exported).toMatchObject({ actor: 'user-post-editor', post: 'tokyo', detail: { rows: 3 } });
  });

  it('removes one person from the post: unsubscribed there, still subscribed elsewhere; audited', async () => {
    const person = tokyo[1]?.subscriber;
    if (!person) throw new Error('no person');
    await stack.ctx.repos.subscribers.putSubscription({
      subscriberId: person.id,
      post: 'berlin',
      audience: 'economic',
      language: 'de',
      status: 'confirmed',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    const res = await api(`/posts/tokyo/subscribers/${person.id}`, tokyoEditor, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ unsubscribed: 1 });
    const subs = await stack.ctx.repos.subscribers.subscriptionsOf(person.id);
    expect(subs.find((s) => s.post === 'tokyo')?.status).toBe('unsubscribed');
    expect(subs.find((s) => s.post === 'berlin')?.status).toBe('confirmed');
    const confirmed = await rowsOf(await api('/posts/tokyo/subscribers?status=confirmed', tokyoEditor));
    expect(confirmed.items.map((r: { email: string }) => r.email)).not.toContain(person.email);
    const removed = (await auditOf('tokyo')).find((e) => e.action === 'subscriber.removed');
    expect(removed).toMatchObject({
      actor: 'user-post-editor',
      target: { type: 'subscriber', id: person.id },
    });
  });

  it('bad filters are a one-line 400 naming the parameter', async () => {
    const res = await api('/posts/tokyo/subscribers?status=gone', tokyoEditor);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/^status must be one of/);
  });
});

describe('suppressions, for admins', () => {
  it('an admin adds and removes a suppression with a reason, both audited; editors may not', async () => {
    const body = JSON.stringify({ email: 'Someone@Example.ORG', reason: 'asked by phone' });
    expect((await api('/suppressions', tokyoEditor, { method: 'POST', body })).status).toBe(403);
    const added = await api('/suppressions', admin, { method: 'POST', body });
    expect(added.status).toBe(201);
    expect(await stack.ctx.repos.suppressions.suppressedAmong(['someone@example.org'])).toEqual(
      new Set(['someone@example.org']),
    );
    expect((await api('/suppressions', admin, { method: 'POST', body })).status).toBe(409);
    const list = await rowsOf(await api('/suppressions?reason=manual', admin));
    expect(list.items).toEqual([
      expect.objectContaining({ email: 'someone@example.org', reason: 'manual', detail: 'asked by phone' }),
    ]);

    const noReason = await api('/suppressions/remove', admin, {
      method: 'POST',
      body: JSON.stringify({ email: 'someone@example.org' }),
    });
    expect(noReason.status).toBe(400);
    expect(await errorOf(noReason)).toMatch(/^reason: /);
    const removed = await api('/suppressions/remove', admin, {
      method: 'POST',
      body: JSON.stringify({ email: 'someone@example.org', reason: 'mailbox fixed' }),
    });
    expect(removed.status).toBe(200);
    expect((await stack.ctx.repos.suppressions.suppressedAmong(['someone@example.org'])).size).toBe(0);
    const again = await api('/suppressions/remove', admin, {
      method: 'POST',
      body: JSON.stringify({ email: 'someone@example.org', reason: 'twice' }),
    });
    expect(again.status).toBe(404);

    const trail = await auditOf(undefined);
    expect(trail.find((e) => e.action === 'suppression.added')).toMatchObject({
      actor: 'user-admin',
      detail: { email: 'someone@example.org', reason: 'asked by phone' },
    });
    expect(trail.find((e) => e.action === 'suppression.removed')).toMatchObject({
      actor: 'user-admin',
      detail: { email: 'someone@example.org', reason: 'mailbox fixed', was: 'manual' },
    });
  });

  it('keeps a suppression reason without control or bidi characters (printed by suppressions list in a terminal)', async () => {
    const added = await api('/suppressions', admin, {
      method: 'POST',
      body: JSON.stringify({
        email: 'escape@example.org',
        reason: 'asked\u001b[2J\u001b]0;x\u0007 \u202Eby mail',
      }),
    });
    expect(added.status).toBe(201);
    const list = await rowsOf(await api('/suppressions?reason=manual', admin));
    expect(list.items).toContainEqual(
      expect.objectContaining({ email: 'escape@example.org', detail: 'asked[2J]0;x by mail' }),
    );
    const onlyControls = await api('/suppressions', admin, {
      method: 'POST',
      body: JSON.stringify({ email: 'escape2@example.org', reason: '\u001b\u202E' }),
    });
    expect(onlyControls.status).toBe(400);
    // Lifted again: the CLI's test below lists the manual suppressions.
    const removed = await api('/suppressions/remove', admin, {
      method: 'POST',
      body: JSON.stringify({ email: 'escape@example.org', reason: 'test over' }),
    });
    expect(removed.status).toBe(200);
  });

  it('a bad address is a 400 naming the field', async () => {
    const res = await api('/suppressions', admin, {
      method: 'POST',
      body: JSON.stringify({ email: 'not an address', reason: 'x' }),
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/^email: /);
  });
});

describe('the lists page by page, and the CLI', () => {
  it('every suppression once, newest first within each reason, across reasons by cursor', async () => {
    const all = await stack.ctx.dynamo.doc.send(
      new ScanCommand({ TableName: stack.ctx.settings.tables.suppressions }),
    );
    expect(all.Items?.length).toBeGreaterThan(3);
    const seen: { email: string; reason: string; at: string }[] = [];
    let cursor = '';
    do {
      const res = await api(
        `/suppressions?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        admin,
      );
      const page = (await res.json()) as {
        items: { email: string; reason: string; at: string }[];
        cursor?: string;
      };
      seen.push(...page.items);
      cursor = page.cursor ?? '';
    } while (cursor);
    expect(new Set(seen.map((s) => s.email)).size).toBe(all.Items?.length);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      if (a && b && a.reason === b.reason) expect(a.at >= b.at).toBe(true);
    }
    expect((await api('/suppressions?cursor=nonsense', admin)).status).toBe(400);
  });

  it(
    'missive subscribers search/export and suppressions add/list; an unknown post is one line, exit 2',
    async () => {
      const env = stackEnv(stack);
      const found = await missive(['subscribers', 'search', 'tanaka', '--post', 'tokyo', '--json'], env);
      expect(found.code).toBe(0);
      expect((JSON.parse(found.stdout) as RowsPage).items.map((r) => r.email)).toEqual(['tky2@example.org']);
      const csv = await missive(['subscribers', 'export', '--post', 'tokyo', '--status', 'pending'], env);
      expect(csv.code).toBe(0);
      expect(csv.stdout.split('\n')[0]).toBe(
        'email,name,audience,language,status,updatedAt,consentAt,consentSource,confirmedAt',
      );
      expect(csv.stdout).toContain('tky2@example.org,Aiko Tanaka,economic,fr,pending');
      const added = await missive(['suppressions', 'add', 'cli@example.org', '--reason', 'asked'], env);
      expect(added.code).toBe(0);
      const listed = await missive(['suppressions', 'list', '--reason', 'manual', '--json'], env);
      expect(JSON.parse(listed.stdout).items).toEqual([
        expect.objectContaining({ email: 'cli@example.org' }),
      ]);
      const unknown = await missive(['subscribers', 'list', '--post', 'nowhere'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe('missive: no post "nowhere": see `missive post list`\n');
      expect(
        (await auditOf('tokyo')).some((e) => e.action === 'subscribers.listed' && e.actor.startsWith('cli:')),
      ).toBe(true);
    },
    SPAWNING.timeout,
  );
});

describe('exporting a list bigger than an API answer', () => {
  it(
    'the API says to use the CLI (400, nothing answered); the CLI writes every row to --out, page by page',
    async () => {
      // 1,800 people with long names: about 5.6 MiB of CSV, over the 5 MiB an API answer holds.
      const big = members(1800, {
        post: 'casablanca',
        audience: 'economic',
        language: 'fr',
        prefix: 'casa',
      }).map((p, i) => ({
        ...p,
        subscriber: { ...p.subscriber, name: `Reader ${i} ${'long name '.repeat(300)}` },
      }));
      await stack.ctx.repos.subscribers.importMany(big);
      const editor = await tokenFor(stack, [{ role: 'post-editor', post: 'casablanca' }]);
      const res = await api('/posts/casablanca/subscribers/export', editor);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /over 5 MiB as CSV, more than the API answers; export it with `missive subscribers export --post casablanca --out FILE`/,
      );

      const dir = await mkdtemp(join(tmpdir(), 'missive-export-'));
      const out = join(dir, 'casablanca.csv');
      const cli = await missive(
        ['subscribers', 'export', '--post', 'casablanca', '--out', out],
        stackEnv(stack),
      );
      expect(cli.code).toBe(0);
      expect(cli.stderr).toContain(`1800 row(s) written to ${out}`);
      const rows = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(1800);
      expect(new Set(rows.map((r) => r.email)).size).toBe(1800);
      expect(rows[0]?.name).toMatch(/^Reader \d+ long name/);
      const bad = await missive(
        ['subscribers', 'export', '--post', 'casablanca', '--out', join(dir, 'no', 'such', 'dir.csv')],
        stackEnv(stack),
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim()).toMatch(/^missive: --out: cannot write .*dir\.csv \(ENOENT\)$/);
    },
    SPAWNING.timeout,
  );
});
