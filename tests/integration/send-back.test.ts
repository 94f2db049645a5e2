import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edition } from '../../functions/editions/model';
import type { LocalStack } from '../../functions/local/stack';
import { tokyoEdition } from '../helpers/edition';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

let stack: LocalStack;
let editor: Record<string, string>;
let approver: Record<string, string>;

beforeAll(async () => {
  stack = await startSeededStack(20);
  editor = bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]));
  approver = bearer(await tokenFor(stack, [{ role: 'post-approver', post: 'tokyo' }]));
}, 120_000);
afterAll(async () => stack?.stop());

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { edition: Edition; error?: { message: string } },
  };
}

async function inReview(): Promise<Edition> {
  const item = (await stack.ctx.content.content.query({ language: 'en', limit: 1 })).items[0];
  const created = await call('POST', '/posts/tokyo/editions', editor, tokyoEdition(item?.id ?? ''));
  const submitted = await call('POST', `/posts/tokyo/editions/${created.body.edition.id}/submit`, editor, {});
  expect(submitted.body.edition.status).toBe('in-review');
  return submitted.body.edition;
}

describe('an approver sends an edition back with a comment', () => {
  it('goes back to draft, the comment kept on the edition and the send-back audited', async () => {
    const edition = await inReview();
    const path = `/posts/tokyo/editions/${edition.id}`;
    const sent = await call('POST', `${path}/send-back`, approver, { comment: '  Shorten the intro.  ' });
    expect(sent.status).toBe(200);
    expect(sent.body.edition.status).toBe('draft');
    const read = (await call('GET', path, editor)).body.edition;
    expect(read.comments).toEqual([
      { at: expect.any(String), by: 'user-post-approver', text: 'Shorten the intro.' },
    ]);
    const trail = await stack.ctx.audit.list('tokyo', { limit: 5 });
    expect(trail.items.map((a) => [a.action, a.target.id])).toContainEqual(['edition.sent-back', edition.id]);
    // What GET answered, PUT takes back (the comments are read-only there), and the draft goes to review again.
    const put = await call('PUT', path, editor, { edition: read });
    expect(put.status).toBe(200);
    expect(put.body.edition.comments).toHaveLength(1);
    const again = await call('POST', `${path}/submit`, editor, {});
    expect(again.body.edition.status).toBe('in-review');
  });

  it('needs a comment, an approver and an edition in review', async () => {
    const edition = await inReview();
    const path = `/posts/tokyo/editions/${edition.id}/send-back`;
    const empty = await call('POST', path, approver, { comment: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.message).toMatch(/comment/);
    expect((await call('POST', path, editor, { comment: 'mine' })).status).toBe(403);
    expect((await call('POST', path, approver, { comment: 'Fine by me' })).status).toBe(200);
    const twice = await call('POST', path, approver, { comment: 'Again' });
    expect(twice.status).toBe(409);
    expect(twice.body.error?.message).toMatch(/only an edition in review is sent back/);
  });

  it('says a too-long comment is too long, and keeps a comment as text without control or bidi characters', async () => {
    const edition = await inReview();
    const path = `/posts/tokyo/editions/${edition.id}`;
    const long = await call('POST', `${path}/send-back`, approver, { comment: 'x'.repeat(10_240) });
    expect(long.status).toBe(400);
    expect(long.body.error?.message).toBe('send back: comment: at most 2000 characters');
    const typed = '<script>alert(1)</script> {{title}} \u202Egnp.exe \u0007\u001b[31m 🇧🇪\r\nline 2';
    const sent = await call('POST', `${path}/send-back`, approver, { comment: typed });
    expect(sent.status).toBe(200);
    expect(sent.body.edition.comments?.[0]?.text).toBe(
      '<script>alert(1)</script> {{title}} gnp.exe [31m 🇧🇪\nline 2',
    );
  });
});
