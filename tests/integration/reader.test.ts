import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientLinks } from '../../functions/core/recipient-links';
import { variantRender } from '../../functions/editions/service';
import type { LocalStack } from '../../functions/local/stack';
import { startSeededStack } from '../helpers/stack';

let stack: LocalStack;
let links: ReturnType<typeof recipientLinks>;
let subscriberId: string;

beforeAll(async () => {
  stack = await startSeededStack();
  const edition = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
  // The reader shows what was sent: the variant's render as stored when it was mailed.
  const full = await stack.ctx.repos.editions.get(edition?.id ?? '');
  if (full) await variantRender(stack.ctx.editions, full, 'economic', 'en');
  const member = (await stack.ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'confirmed', { limit: 1 }))
    .items[0];
  subscriberId = member?.subscriberId ?? '';
  links = recipientLinks(stack.urls.api, stack.ctx.settings.signingKeys, {
    subscriberId,
    editionId: edition?.id ?? '',
    post: 'tokyo',
    audience: 'economic',
    language: 'en',
  });
});
afterAll(async () => stack?.stop());

describe("a reader's links", () => {
  it('web version: the variant they received, with no name and no unsubscribe power', async () => {
    const res = await fetch(links.web);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Embassy of Belgium in Japan');
    expect(html).toContain('Dear reader,');
    expect(html).not.toMatch(/token=[^"]*" *>Unsubscribe/);
    expect(html).toContain(`${links.click}0`);
  });

  it("a tracked link redirects to the edition's own link, and nowhere else", async () => {
    const res = await fetch(`${links.click}0`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/focusonbelgium\.example\.org\/en\//);
    expect((await fetch(`${links.click}999`, { redirect: 'manual' })).status).toBe(404);
  });

  it('a read token cannot unsubscribe, a manage token can; preferences list that post only', async () => {
    const readToken = new URL(links.web).searchParams.get('token') ?? '';
    const refused = await fetch(`${stack.urls.api}/unsubscribe?token=${encodeURIComponent(readToken)}`, {
      method: 'POST',
    });
    expect(refused.status).toBe(400);
    const prefs = await (await fetch(links.preferences)).text();
    expect(prefs).toContain('Your subscriptions: Embassy of Belgium in Japan');
    expect(prefs).toMatch(/: confirmed/);
    expect(prefs).not.toMatch(/washington|berlin/i);
    const all = `${links.unsubscribe}&all=1`;
    expect((await fetch(all, { method: 'POST' })).status).toBe(200);
    const after = await stack.ctx.repos.subscribers.subscriptionsOf(subscriberId);
    expect(after.filter((s) => s.post === 'tokyo').every((s) => s.status === 'unsubscribed')).toBe(true);
  });
});
