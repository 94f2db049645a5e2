import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../functions/core/access';
import type { Edition } from '../../functions/editions/model';
import { scopes } from '../../functions/engagement/model';
import type { LocalStack } from '../../functions/local/stack';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/** GET /posts/{code}/lists: a post's list sizes, growth and sent editions' results, for its dashboard. */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startSeededStack(30);
});
afterAll(async () => stack?.stop());

const get = async (path: string, grants: Grant[]) =>
  fetch(`${stack.urls.api}${path}`, { headers: bearer(await tokenFor(stack, grants)) });

interface Lists {
  post: string;
  lists: { audience: string; audienceName: string; language: string; confirmed: number }[];
  growth: {
    month: string;
    new: number;
    confirmed: number;
    unsubscribed: number;
    cleaned: number;
    net: number;
  }[];
  editions: { edition: string; title: string; recipients: number; openRateHuman: number | null }[];
}

/** The confirmed subscriptions of a post, read one by one through the other index, per audience/language. */
async function confirmedByList(post: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await stack.ctx.repos.subscribers.subscriptionsOfPost(post, 'confirmed', {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const s of page.items)
      out.set(`${s.audience}/${s.language}`, (out.get(`${s.audience}/${s.language}`) ?? 0) + 1);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

describe('GET /posts/{code}/lists', () => {
  it("counts each audience × language's confirmed subscribers; pending ones and other posts' are not counted", async () => {
    const tokyo = await stack.ctx.repos.posts.get('tokyo');
    const audience = tokyo?.audiences[0]?.id ?? '';
    // One more person confirmed on Tokyo's first list, one pending: only the first counts.
    const at = new Date().toISOString();
    for (const [id, status] of [
      ['sub_lists_confirmed', 'confirmed'],
      ['sub_lists_pending', 'pending'],
    ] as const)
      await stack.ctx.repos.subscribers.putSubscription({
        subscriberId: id,
        post: 'tokyo',
        audience,
        language: 'en',
        status,
        updatedAt: at,
      });
    const res = await get('/posts/tokyo/lists', [{ role: 'post-editor', post: 'tokyo' }]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Lists;
    const expected = await confirmedByList('tokyo');
    expect(body.lists).toHaveLength((tokyo?.audiences.length ?? 0) * (tokyo?.languages.length ?? 0));
    for (const l of body.lists) expect(l.confirmed).toBe(expected.get(`${l.audience}/${l.language}`) ?? 0);
    expect(body.lists.find((l) => l.audience === audience && l.language === 'en')?.confirmed).toBeGreaterThan(
      0,
    );
    const total = body.lists.reduce((n, l) => n + l.confirmed, 0);
    expect(total).toBe([...expected.values()].reduce((n, v) => n + v, 0));
    expect(total).toBeGreaterThan(0);
  });

  it("shows this month's list growth and the sent editions' results from the counters", async () => {
    const month = new Date().toISOString().slice(0, 7);
    await stack.ctx.counters.add(scopes.postMonth('tokyo', month), {
      list_new: 7,
      list_confirmed: 5,
      list_unsubscribed: 2,
      list_cleaned: 1,
    });
    const at = new Date().toISOString();
    const sent: Edition = {
      id: 'ed_lists_sent',
      post: 'tokyo',
      title: 'Sent for the dashboard',
      status: 'sent',
      sensitive: false,
      author: 'editor',
      scheduledAt: at,
      createdAt: at,
      updatedAt: at,
      version: 1,
      revision: 1,
      variants: [],
    };
    await stack.ctx.repos.editions.create(sent);
    await stack.ctx.counters.add(scopes.edition(sent.id), { sent: 200, delivered: 200, uopens_h: 50 });
    const body = (await (await get('/posts/tokyo/lists', [{ role: 'analyst' }])).json()) as Lists;
    expect(body.growth).toHaveLength(12);
    expect(body.growth.at(-1)).toEqual({ month, new: 7, confirmed: 5, unsubscribed: 2, cleaned: 1, net: 2 });
    const row = body.editions.find((e) => e.edition === sent.id);
    expect(row).toMatchObject({ title: 'Sent for the dashboard', recipients: 200 });
    expect(row?.openRateHuman).toBeCloseTo(0.25, 10);
    // Drafts and editions in review have no results.
    const listed = await stack.ctx.repos.editions.listByPost('tokyo');
    const unsent = listed.items.filter((e) => e.status !== 'sent' && e.status !== 'sending').map((e) => e.id);
    expect(body.editions.map((e) => e.edition).filter((id) => unsent.includes(id))).toEqual([]);
  });

  it("refuses another post's editor (as if the post did not exist) and roles with no business there", async () => {
    const other = await get('/posts/tokyo/lists', [{ role: 'post-editor', post: 'berlin' }]);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe('no post "tokyo"');
    // HQ's editor composes for the network, not a post's lists: the role does not allow it (403).
    const hq = await get('/posts/tokyo/lists', [{ role: 'hq-editor', post: 'hq' }]);
    expect(hq.status).toBe(403);
    expect(((await hq.json()) as { error: { message: string } }).error.message).toBe(
      'your role does not allow this',
    );
    expect((await fetch(`${stack.urls.api}/posts/tokyo/lists`)).status).toBe(401);
    for (const grants of [
      [{ role: 'post-approver', post: 'tokyo' }],
      [{ role: 'spokesperson' }],
      [{ role: 'admin' }],
    ] as Grant[][])
      expect((await get('/posts/tokyo/lists', grants)).status).toBe(200);
  });
});
