import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Edition } from '../../functions/editions/model';
import type { LocalStack } from '../../functions/local/stack';
import { tokyoEdition } from '../helpers/edition';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

let stack: LocalStack;
let article: string;
const auth: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  stack = await startSeededStack(20);
  article =
    (await stack.ctx.content.content.query({ language: 'en', kind: 'article', limit: 1 })).items[0]?.id ?? '';
  const who = {
    editor: [{ role: 'post-editor', post: 'tokyo' }],
    editor2: [{ role: 'post-editor', post: 'tokyo' }],
    approver: [{ role: 'post-approver', post: 'tokyo' }],
    editorApprover: [
      { role: 'post-editor', post: 'tokyo' },
      { role: 'post-approver', post: 'tokyo' },
    ],
    spokesperson: [{ role: 'spokesperson' }],
    hq: [{ role: 'hq-editor', post: 'hq' }],
  } as const;
  for (const [name, grants] of Object.entries(who)) {
    const token = await stack.ctx.settings.signingKeys[0];
    if (!token) throw new Error('no key');
    auth[name] = bearer(
      await (await import('../../functions/adapters/auth/staff-tokens')).issueLocalToken(token.secret, {
        subject: name,
        grants: [...grants],
        ttlSeconds: 600,
      }),
    );
  }
});
afterAll(async () => stack?.stop());

async function call(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { ...auth[who], ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: { edition?: Edition; error?: { code: string; message: string }; [k: string]: unknown } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { html: text };
  }
  return { status: res.status, body: parsed };
}

describe('edition workflow with approval (Tokyo requires it)', () => {
  let id: string;

  it('creates a draft from JSON, validating every field with its path', async () => {
    const bad = await call(
      'editor',
      'POST',
      '/posts/tokyo/editions',
      tokyoEdition(article, {
        variants: [
          {
            ...tokyoEdition(article).variants[0],
            blocks: [{ type: 'cta', label: 'Go', url: 'javascript:alert(1)' }],
          } as never,
        ],
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toBe('edition: variants.0.blocks.0.url: must be an http(s) URL');
    const wrongAudience = await call(
      'editor',
      'POST',
      '/posts/tokyo/editions',
      tokyoEdition(article, {
        variants: [{ ...tokyoEdition(article).variants[0], audience: 'congress' } as never],
      }),
    );
    expect(wrongAudience.body.error?.message).toBe(
      'variants.0.audience: "congress" is not an audience of tokyo',
    );
    const created = await call('editor', 'POST', '/posts/tokyo/editions', tokyoEdition(article));
    expect(created.status).toBe(201);
    expect(created.body.edition).toMatchObject({ status: 'draft', author: 'editor', version: 1 });
    id = created.body.edition?.id ?? '';
  });

  it('goes to review on submit; cannot be scheduled before approval', async () => {
    expect((await call('editor', 'POST', `/posts/tokyo/editions/${id}/submit`)).body.edition?.status).toBe(
      'in-review',
    );
    const early = await call('editor', 'POST', `/posts/tokyo/editions/${id}/schedule`, {});
    expect(early.status).toBe(409);
    expect(early.body.error?.message).toMatch(/must be approved first/);
  });

  it('cannot be approved by its author, nor by another editor', async () => {
    const self = await call('editor', 'POST', `/posts/tokyo/editions/${id}/approve`);
    expect(self.status).toBe(403); // the route itself is closed to editors
    const other = await call('editor2', 'POST', `/posts/tokyo/editions/${id}/approve`);
    expect(other.status).toBe(403);
    const approved = await call('approver', 'POST', `/posts/tokyo/editions/${id}/approve`);
    expect(approved.body.edition).toMatchObject({ status: 'approved', approver: 'approver' });
  });

  it('goes back to review when changed after approval; a stale version is refused', async () => {
    const stale = await call('editor', 'PUT', `/posts/tokyo/editions/${id}`, {
      ...tokyoEdition(article),
      version: 1,
    });
    expect(stale.status).toBe(400);
    expect(stale.body.error?.message).toMatch(/not the current version/);
    const changed = await call('editor', 'PUT', `/posts/tokyo/editions/${id}`, {
      ...tokyoEdition(article, { title: 'Tokyo news, corrected' }),
      version: 3,
    });
    expect(changed.body.edition).toMatchObject({ status: 'in-review', title: 'Tokyo news, corrected' });
    expect(changed.body.edition?.approver).toBeUndefined();
  });

  it('schedules once approved again, and records who did what in the audit trail', async () => {
    await call('approver', 'POST', `/posts/tokyo/editions/${id}/approve`);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await call('editor', 'POST', `/posts/tokyo/editions/${id}/schedule`, { at });
    expect(scheduled.body.edition).toMatchObject({ status: 'scheduled', scheduledAt: at });
    const { items } = await stack.ctx.audit.list('tokyo');
    const mine = items.filter((e) => e.target.id === id).map((e) => [e.actor, e.action]);
    expect(mine.reverse()).toEqual([
      ['editor', 'edition.created'],
      ['editor', 'edition.submitted'],
      ['approver', 'edition.approved'],
      ['editor', 'edition.updated'],
      ['approver', 'edition.approved'],
      ['editor', 'edition.scheduled'],
    ]);
    const cancelled = await call('editor', 'POST', `/posts/tokyo/editions/${id}/cancel`);
    expect(cancelled.body.edition?.status).toBe('cancelled');
  });
});

describe('four eyes: nobody approves content they changed since its last approval', () => {
  const refusal = 'you changed this edition since its last approval: another approver must approve it';
  /** Cancelled at the end, so that the seeded edition stays Tokyo's only approved one. */
  const draft = async (who: string) => {
    const id =
      (await call(who, 'POST', '/posts/tokyo/editions', tokyoEdition(article))).body.edition?.id ?? '';
    onTestFinished(async () => {
      await call('editor', 'POST', `/posts/tokyo/editions/${id}/cancel`);
    });
    return id;
  };

  it("an editor who is also an approver cannot rewrite someone else's draft and approve it", async () => {
    const id = await draft('editor');
    const rewritten = await call('editorApprover', 'PUT', `/posts/tokyo/editions/${id}`, {
      ...tokyoEdition(article, { title: 'Rewritten by B' }),
      version: 1,
    });
    expect(rewritten.status).toBe(200);
    await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/submit`);
    const own = await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.error?.message).toBe(refusal);
    expect((await stack.ctx.repos.editions.get(id))?.status).toBe('in-review');

    const third = await call('approver', 'POST', `/posts/tokyo/editions/${id}/approve`);
    expect(third.body.edition).toMatchObject({
      status: 'approved',
      approver: 'approver',
      title: 'Rewritten by B',
    });
  });

  it('an approval clears the record: who changes the edition afterwards is excluded, its author no longer', async () => {
    const id = await draft('editorApprover');
    await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/submit`);
    expect((await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/approve`)).status).toBe(403);
    expect((await call('approver', 'POST', `/posts/tokyo/editions/${id}/approve`)).body.edition?.status).toBe(
      'approved',
    );
    // Another editor changes the approved edition: back to review, and its author, who
    // did not make this change, may approve it.
    const changed = await call('editor', 'PUT', `/posts/tokyo/editions/${id}`, {
      ...tokyoEdition(article, { title: 'Changed after approval' }),
      version: 3,
    });
    expect(changed.body.edition?.status).toBe('in-review');
    expect(
      (await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/approve`)).body.edition?.status,
    ).toBe('approved');
    // The author changes it again: now they may not approve it.
    await call('editorApprover', 'PUT', `/posts/tokyo/editions/${id}`, {
      ...tokyoEdition(article, { title: 'Changed again' }),
      version: 5,
    });
    const self = await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.error?.message).toBe(refusal);
    expect(
      (await call('approver', 'POST', `/posts/tokyo/editions/${id}/approve`)).body.edition,
    ).toMatchObject({
      status: 'approved',
      title: 'Changed again',
    });
  });

  it('who clones an HQ edition cannot approve the clone', async () => {
    const hqId = ((await call('editor', 'GET', '/posts/tokyo/hq-editions')).body.items as { id: string }[])[0]
      ?.id;
    const clone = await call('editorApprover', 'POST', `/posts/tokyo/hq-editions/${hqId}/clone`);
    const id = clone.body.edition?.id ?? '';
    await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/submit`);
    const own = await call('editorApprover', 'POST', `/posts/tokyo/editions/${id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.error?.message).toBe(refusal);
  });
});

describe('approval rules', () => {
  it('a sensitive edition needs the spokesperson, even at a post that needs no approval', async () => {
    const kinshasaArticle = (
      await stack.ctx.content.content.query({ language: 'fr', kind: 'article', limit: 1 })
    ).items[0]?.id;
    const input = {
      title: 'Sensitive',
      sensitive: true,
      variants: [
        {
          audience: 'consular',
          language: 'fr',
          subject: 'S',
          blocks: [{ type: 'central', item: kinshasaArticle }],
        },
      ],
    };
    const admin = await tokenFor(stack, [{ role: 'post-editor', post: 'kinshasa' }]);
    auth.kin = bearer(admin);
    auth.kinApprover = bearer(await tokenFor(stack, [{ role: 'post-approver', post: 'kinshasa' }]));
    const created = await call('kin', 'POST', '/posts/kinshasa/editions', input);
    const id = created.body.edition?.id;
    expect((await call('kin', 'POST', `/posts/kinshasa/editions/${id}/submit`)).body.edition?.status).toBe(
      'in-review',
    );
    const byApprover = await call('kinApprover', 'POST', `/posts/kinshasa/editions/${id}/approve`);
    expect(byApprover.status).toBe(403);
    expect(byApprover.body.error?.message).toBe('this edition needs the approval of a spokesperson');
    expect(
      (await call('spokesperson', 'POST', `/posts/kinshasa/editions/${id}/approve`)).body.edition?.status,
    ).toBe('approved');
  });

  it('without approval needed, submit approves at once', async () => {
    const input = {
      title: 'Plain',
      variants: [
        {
          audience: 'economic',
          language: 'fr',
          subject: 'S',
          blocks: [{ type: 'local', title: 'T', text: 'x' }],
        },
      ],
    };
    const id = (await call('kin', 'POST', '/posts/kinshasa/editions', input)).body.edition?.id;
    expect((await call('kin', 'POST', `/posts/kinshasa/editions/${id}/submit`)).body.edition?.status).toBe(
      'approved',
    );
  });

  it('an edition that does not render cannot be submitted or scheduled; the error names the block', async () => {
    const input = tokyoEdition(article, {
      variants: [
        {
          ...tokyoEdition(article).variants[0],
          blocks: [{ type: 'central', item: 'en-doesnotexist123' }],
        } as never,
      ],
    });
    const id = (await call('editor', 'POST', '/posts/tokyo/editions', input)).body.edition?.id;
    const res = await call('editor', 'POST', `/posts/tokyo/editions/${id}/submit`);
    expect(res.status).toBe(422);
    expect(res.body.error?.message).toBe(
      'variant economic/en: block 1 (central): content item en-doesnotexist123 does not exist',
    );
    expect((await stack.ctx.repos.editions.get(id ?? ''))?.status).toBe('draft');
  });
});

describe('HQ editions', () => {
  it('posts clone a published HQ edition: one variant per audience for each shared language', async () => {
    const hqList = await call('editor', 'GET', '/posts/tokyo/hq-editions');
    const hqId = (hqList.body.items as { id: string }[])[0]?.id;
    const clone = await call('editor', 'POST', `/posts/tokyo/hq-editions/${hqId}/clone`);
    expect(clone.status).toBe(201);
    const variants = clone.body.edition?.variants.map((v) => `${v.audience}/${v.language}`).sort();
    expect(variants).toEqual(
      ['consular', 'cultural', 'economic'].flatMap((a) => ['en', 'fr', 'nl'].map((l) => `${a}/${l}`)).sort(),
    );
    expect(clone.body.edition).toMatchObject({
      post: 'tokyo',
      status: 'draft',
      clonedFrom: hqId,
      author: 'editor',
    });
  });

  it('an HQ edition always needs the spokesperson', async () => {
    const input = {
      title: 'Network news',
      variants: [
        { audience: 'network', language: 'en', subject: 'S', blocks: [{ type: 'central', item: article }] },
      ],
    };
    const id = (await call('hq', 'POST', '/posts/hq/editions', input)).body.edition?.id;
    expect((await call('hq', 'POST', `/posts/hq/editions/${id}/submit`)).body.edition?.status).toBe(
      'in-review',
    );
    expect(
      (await call('spokesperson', 'POST', `/posts/hq/editions/${id}/approve`)).body.edition?.status,
    ).toBe('approved');
  });
});

describe('preview and test send', () => {
  it('previews a seeded variant as HTML with the branding, items and footer links', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find(
      (e) => e.status === 'approved',
    );
    const res = await fetch(
      `${stack.urls.api}/posts/tokyo/editions/${seeded?.id}/preview?audience=consular&lang=fr`,
      {
        headers: auth.editor ?? {},
      },
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    // The French variant names the post in French (issue 21, item 5).
    expect(html).toContain('Ambassade de Belgique au Japon');
    expect(html).toContain('#1d3b6f');
    expect(html).toContain('Hergé, le père de Tintin');
    expect(html).toContain('Se désabonner');
    expect(html).not.toMatch(/%%[A-Z0-9_]+%%/);
  });

  it('test-sends a variant: [TEST] subject, text part and one-click unsubscribe headers', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find(
      (e) => e.status === 'approved',
    );
    const res = await call('editor', 'POST', `/posts/tokyo/editions/${seeded?.id}/test-send`, {
      to: ['reviewer@example.org'],
      audience: 'economic',
      lang: 'en',
    });
    expect(res.status).toBe(200);
    const [sent] = res.body.sent as { messageId: string }[];
    const raw = await stack.ctx.outbox?.get(sent?.messageId ?? '');
    const mail = await simpleParser(raw ?? Buffer.from(''));
    expect(mail.subject).toBe('[TEST] Focus on Belgium – November 2026 · Tokyo');
    const header = (name: string) =>
      mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, ' ') ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const unsubscribe = header('list-unsubscribe');
    expect(unsubscribe).toMatch(/^List-Unsubscribe: <http:\/\/localhost:\d+\/unsubscribe\?token=[^>]+>$/);
    expect(mail.text).toMatch(/Dear reader,/);
    expect(mail.html).toContain('Embassy of Belgium in Japan');
    const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
      emails: { subject: string }[];
    };
    expect(store.emails.map((e) => e.subject)).toContain(
      `[TEST] ${'Focus on Belgium – November 2026 · Tokyo'}`,
    );
  });

  it('refuses a bad test address list', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const res = await call('editor', 'POST', `/posts/tokyo/editions/${seeded?.id}/test-send`, {
      to: ['not-an-address'],
      audience: 'economic',
      lang: 'en',
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toBe('to: "not-an-address" is not one email address');
  });

  it('refuses a comma list passed as one address, mailing nobody', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const before = stack.ctx.outbox?.ids().length;
    const res = await call('editor', 'POST', `/posts/tokyo/editions/${seeded?.id}/test-send`, {
      to: ['a@b,c.com'],
      audience: 'economic',
      lang: 'en',
    });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toBe('to: "a@b,c.com" is not one email address');
    expect(stack.ctx.outbox?.ids().length).toBe(before);
  });
});

describe('request bodies', () => {
  it('are refused with a 400 naming the route and the wrong field', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const path = `/posts/tokyo/editions/${seeded?.id}`;
    const refusal = async (method: string, suffix: string, body?: unknown) => {
      const res = await call('editor', method, `${path}${suffix}`, body);
      expect(res.status).toBe(400);
      return res.body.error?.message;
    };
    expect(await refusal('POST', '/test-send', { to: ['a@example.org'], lang: 'en' })).toBe(
      'test-send: audience: must name the audience of the variant',
    );
    expect(await refusal('POST', '/test-send')).toBe('test-send: the request needs a JSON body');
    expect(await refusal('POST', '/schedule', { at: 1 })).toBe('schedule: at: must be an ISO date and time');
    expect(await refusal('PUT', '', { ...tokyoEdition(article), version: '1' })).toBe(
      'edition: version: must be a number',
    );
  });
});
