import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../functions/app';
import { addMonths } from '../../functions/core/months';
import { peopleInWindow } from '../../functions/engagement/activity';
import type { EngagementEvent } from '../../functions/engagement/model';
import { itemCounter, itemsMonth, postCounter, reportScopes, scopes } from '../../functions/engagement/model';
import { recordEngagementBatch } from '../../functions/engagement/ses-events';
import { startDynalite } from '../helpers/dynalite';
import { post } from '../helpers/fixtures';

/**
 * The engagement rate's unique people, recorded for real (dynalite): the recorder
 * keeps each person's active months and counts them once per three-month window,
 * whatever the number of editions, posts, redeliveries or the order events arrive in.
 */
let db: Awaited<ReturnType<typeof startDynalite>>;
let ctx: AppContext;

beforeAll(async () => {
  db = await startDynalite();
  ctx = db.ctx;
  for (const code of ['tokyo', 'osaka']) await ctx.repos.posts.put(post(code));
}, 60_000);
afterAll(async () => db?.stop());

let n = 0;
const event = (
  kind: EngagementEvent['kind'],
  person: string,
  postCode: string,
  edition: string,
  at: string,
  extra: Partial<EngagementEvent> = {},
): EngagementEvent => ({
  kind,
  id: `ev-${n++}`,
  at,
  editionId: edition,
  subscriberId: person,
  post: postCode,
  audience: 'economic',
  language: 'fr',
  ...(kind === 'open' ? { classification: { class: 'human', rule: 'none', device: 'desktop' } } : {}),
  ...extra,
});
const counts = async (scope: string) => (await ctx.counters.read(scope)).counts;
/** The people of the window ending `end` (three months of one scope), as the reports read them. */
const people = async (scope: (month: string) => string, end: string) =>
  peopleInWindow(await Promise.all([-2, -1, 0].map((k) => counts(scope(addMonths(end, k))))));
const tokyo = (m: string) => scopes.postMonth('tokyo', m);
const osakaScope = (m: string) => scopes.postMonth('osaka', m);

describe('unique people over the engagement window', () => {
  it('two editions to the same people count them once; a person at two posts is one person in the network', async () => {
    const sends = [
      // January and February editions of Tokyo to p1 and p2; p1 also reads Osaka in February.
      event('send', 'p1', 'tokyo', 'ed-jan', '2026-01-10T09:00:00.000Z'),
      event('send', 'p2', 'tokyo', 'ed-jan', '2026-01-10T09:00:00.000Z'),
      event('send', 'p1', 'tokyo', 'ed-feb', '2026-02-10T09:00:00.000Z'),
      event('send', 'p2', 'tokyo', 'ed-feb', '2026-02-10T09:00:00.000Z'),
      event('send', 'p1', 'osaka', 'ed-osaka', '2026-02-12T09:00:00.000Z'),
      // p1 opens both Tokyo editions; a scanner clicks for p2 (not a person).
      event('open', 'p1', 'tokyo', 'ed-jan', '2026-01-10T10:00:00.000Z'),
      event('open', 'p1', 'tokyo', 'ed-feb', '2026-02-10T10:00:00.000Z'),
      event('click', 'p2', 'tokyo', 'ed-feb', '2026-02-10T09:00:05.000Z', {
        link: 0,
        linkCount: 1,
        classification: { class: 'machine', rule: 'scanner', device: 'bot' },
      }),
    ];
    await recordEngagementBatch(ctx.engagement, sends);
    // The window ending in March (January-March): 2 people sent to by Tokyo, not 4 messages.
    const march = await people(tokyo, '2026-03');
    expect(march).toEqual({ people_sent: 2, people_engaged: 2, people_engaged_h: 1 });
    // Counted in the months that made them: January's people in January's scope, for its windows.
    expect(await counts(tokyo('2026-01'))).toMatchObject({
      people_sent_0: 2,
      people_sent_1: 2,
      people_sent_2: 2,
    });
    expect((await counts(reportScopes.networkPosts('2026-01')))[postCounter('people_sent_0', 'tokyo')]).toBe(
      2,
    );
    // The network: p1 reads two posts and is one person.
    expect(await people((m) => scopes.networkMonth(m), '2026-03')).toMatchObject({
      people_sent: 2,
      people_engaged_h: 1,
    });
    // January's window holds January only; April's (February-April) holds the February sends.
    expect((await people(tokyo, '2026-01')).people_sent).toBe(2);
    expect((await people(tokyo, '2026-04')).people_sent).toBe(2);
    expect((await people(tokyo, '2026-05')).people_sent).toBe(0);

    // The same batch again (an SQS redelivery): nothing moves.
    const january = await counts(tokyo('2026-01'));
    await recordEngagementBatch(ctx.engagement, sends);
    expect(await people(tokyo, '2026-03')).toEqual(march);
    expect(await counts(tokyo('2026-01'))).toEqual(january);
  });

  it('a late event from an earlier month counts only the windows it adds', async () => {
    // p9's March send is recorded before its January one.
    await recordEngagementBatch(ctx.engagement, [
      event('send', 'p9', 'osaka', 'ed-o3', '2026-03-05T09:00:00.000Z'),
    ]);
    await recordEngagementBatch(ctx.engagement, [
      event('send', 'p9', 'osaka', 'ed-o1', '2026-01-05T09:00:00.000Z'),
    ]);
    const osaka = async (m: string) => (await people(osakaScope, m)).people_sent;
    // p9: January's and February's windows from January; March's, April's, May's from
    // March: once each. p1's February Osaka send is in February's to April's windows.
    expect([await osaka('2026-01'), await osaka('2026-02'), await osaka('2026-03')]).toEqual([1, 2, 2]);
    expect(await osaka('2026-04')).toBe(2);
    expect(await osaka('2026-05')).toBe(1);
  });

  it("a test send counts nowhere; a story's sends and clicks are kept per month", async () => {
    await recordEngagementBatch(ctx.engagement, [
      event('send', 'p5', 'tokyo', 'ed-test', '2026-06-01T09:00:00.000Z', { test: true }),
      event('click', 'p6', 'tokyo', 'ed-jun', '2026-06-02T09:00:00.000Z', {
        link: 0,
        linkCount: 2,
        item: 'fr-story-000000001',
        classification: { class: 'human', rule: 'none', device: 'desktop' },
      }),
    ]);
    expect((await people(tokyo, '2026-06')).people_sent).toBe(0);
    expect(await counts(scopes.itemMonth('fr-story-000000001', '2026-06'))).toMatchObject({
      clicks: 1,
      uclicks: 1,
      uclicks_fr: 1,
      uclicks_post_tokyo: 1,
    });
    expect((await counts(itemsMonth('2026-06')))[itemCounter('uclicks', 'fr-story-000000001')]).toBe(1);
    expect(await counts(scopes.itemMonth('fr-story-000000001', '2026-05'))).toEqual({});
  });
});
