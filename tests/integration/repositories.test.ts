import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../functions/app';
import { ConflictError, ValidationError } from '../../functions/core/errors';
import { startDynalite } from '../helpers/dynalite';
import { post, subscriber, subscription } from '../helpers/fixtures';

let ctx: AppContext;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ ctx, stop } = await startDynalite());
});
afterAll(async () => stop());

async function allMembers(postCode: string, audience: string, language: 'en' | 'fr', limit: number) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await ctx.repos.subscribers.confirmedMembers(postCode, audience, language, {
      limit,
      cursor,
    });
    ids.push(...page.items);
    cursor = page.cursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

describe('DynamoPostRepository (dynalite)', () => {
  it('stores a post with its audiences and lists every post', async () => {
    await ctx.repos.posts.put(post('tokyo'));
    await ctx.repos.posts.put(post('berlin', { languages: ['de'], defaultLanguage: 'de' }));
    const tokyo = await ctx.repos.posts.get('tokyo');
    expect(tokyo?.audiences.map((a) => a.id).sort()).toEqual(['consular', 'economic']);
    const codes = (await ctx.repos.posts.list()).map((p) => p.code).sort();
    expect(codes).toEqual(['berlin', 'tokyo']);
    expect((await ctx.repos.posts.list()).find((p) => p.code === 'berlin')?.audiences).toHaveLength(2);
  });

  it('answers undefined for a post that does not exist', async () => {
    expect(await ctx.repos.posts.get('atlantis')).toBeUndefined();
  });

  it('refuses an invalid post before writing anything', async () => {
    await expect(ctx.repos.posts.put(post('rome', { defaultLanguage: 'nl' }))).rejects.toThrow(
      /defaultLanguage/,
    );
    expect(await ctx.repos.posts.get('rome')).toBeUndefined();
  });
});

describe('DynamoSubscriberRepository (dynalite)', () => {
  it('claims an address once: a second person with the same address (any case) is a conflict', async () => {
    await ctx.repos.subscribers.create(subscriber('sub_a', 'Alice@Example.com'));
    await expect(
      ctx.repos.subscribers.create(subscriber('sub_b', ' alice@example.COM ')),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await ctx.repos.subscribers.get('sub_b')).toBeUndefined();
    expect((await ctx.repos.subscribers.findByEmail('ALICE@example.com'))?.id).toBe('sub_a');
  });

  it('pages through the confirmed members of one audience and language only', async () => {
    const people = Array.from({ length: 7 }, (_, i) => subscriber(`sub_m${i}`, `m${i}@example.org`));
    await ctx.repos.subscribers.importMany(
      people.map((p, i) => ({
        subscriber: p,
        subscriptions: [
          subscription(p.id, 'tokyo', 'economic', {
            // five confirmed in English, one pending, one confirmed in French
            status: i === 5 ? 'pending' : 'confirmed',
            language: i === 6 ? 'fr' : 'en',
          }),
          subscription(p.id, 'berlin', 'economic', { language: 'en' }),
        ],
      })),
    );
    const en = await allMembers('tokyo', 'economic', 'en', 2);
    expect(en.ids.sort()).toEqual(['sub_m0', 'sub_m1', 'sub_m2', 'sub_m3', 'sub_m4']);
    expect(en.pages).toBeGreaterThanOrEqual(3);
    expect((await allMembers('tokyo', 'economic', 'fr', 10)).ids).toEqual(['sub_m6']);
  });

  it('drops a member from the send index when the subscription is unsubscribed', async () => {
    await ctx.repos.subscribers.putSubscription(
      subscription('sub_m0', 'tokyo', 'economic', { status: 'unsubscribed' }),
    );
    const en = await allMembers('tokyo', 'economic', 'en', 100);
    expect(en.ids).not.toContain('sub_m0');
    expect(en.ids).toHaveLength(4);
    const mine = await ctx.repos.subscribers.subscriptionsOf('sub_m0');
    expect(mine.find((s) => s.post === 'tokyo')?.status).toBe('unsubscribed');
    expect(mine.find((s) => s.post === 'berlin')?.status).toBe('confirmed');
  });

  it("lists one post's subscriptions by status and never another post's", async () => {
    const pending = await ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'pending');
    expect(pending.items.map((s) => s.subscriberId)).toEqual(['sub_m5']);
    const berlin = await ctx.repos.subscribers.subscriptionsOfPost('berlin', undefined, { limit: 1000 });
    expect(berlin.items.every((s) => s.post === 'berlin')).toBe(true);
    expect(berlin.items).toHaveLength(7);
  });

  it('rejects a tampered page cursor with a clear message', async () => {
    await expect(
      ctx.repos.subscribers.confirmedMembers('tokyo', 'economic', 'en', { cursor: 'not-a-cursor' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('DynamoSuppressionRepository (dynalite)', () => {
  it('finds the suppressed addresses among many, whatever their case', async () => {
    await ctx.repos.suppressions.put({
      email: 'Bounced@Example.net',
      reason: 'bounce',
      at: '2026-02-01T00:00:00Z',
    });
    await ctx.repos.suppressions.put({
      email: 'angry@example.net',
      reason: 'complaint',
      at: '2026-02-02T00:00:00Z',
    });
    const many = Array.from({ length: 230 }, (_, i) => `ok${i}@example.net`);
    const found = await ctx.repos.suppressions.suppressedAmong([
      ...many,
      'bounced@example.net',
      'ANGRY@example.net',
    ]);
    expect([...found].sort()).toEqual(['angry@example.net', 'bounced@example.net']);
    expect((await ctx.repos.suppressions.get('BOUNCED@example.net'))?.reason).toBe('bounce');
  });
});
