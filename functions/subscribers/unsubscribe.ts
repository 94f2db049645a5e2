import { HQ_POST, Language, type Subscription } from '../core/model';
import type { Clock } from '../core/ports';
import type { LinkClaims } from '../core/signed-links';
import type { ListGrowth, SubscriberRepository } from './ports';

/**
 * What an unsubscribe link can stop:
 *  - "list": the newsletter the email came from: the link's post (every audience of
 *    it: the reader asked to stop that newsletter), or, for an HQ broadcast (post
 *    `hq`), Headquarters' broadcasts to the whole network;
 *  - "post": the same for a post's link (kept for older links' `all=1`);
 *  - "everything": every subscription at every post, and HQ's broadcasts.
 * HQ broadcasts are stopped by a subscription record of its own (post `hq`, audience
 * `network`, status unsubscribed) that the broadcast dispatch and the send worker
 * read; nobody is ever *subscribed* to it: a broadcast reaches whoever is subscribed
 * somewhere and has not stopped it.
 */
const languageOf = (g: string | undefined): Language | undefined => {
  const parsed = Language.safeParse(g);
  return parsed.success ? parsed.data : undefined;
};

export type UnsubscribeScope = 'list' | 'post' | 'everything';

export const BROADCAST_AUDIENCE = 'network';

/** Whether a person's subscriptions include the stop of HQ broadcasts. */
export const stoppedBroadcasts = (subscriptions: readonly Pick<Subscription, 'post' | 'status'>[]) =>
  subscriptions.some((s) => s.post === HQ_POST && s.status === 'unsubscribed');

/** What an unsubscribe changed: how many records, and the post subscriptions it ended. */
export interface UnsubscribeResult {
  readonly changed: number;
  /** Shown only to the link's holder (their own lists): the page names a single dropped audience. */
  readonly dropped: readonly Subscription[];
}

/**
 * Unsubscribes the person named by a verified link. Idempotent, and it answers the
 * same whether or not the subscription exists, so a link reveals nothing beyond what
 * the person themself was subscribed to.
 */
export async function unsubscribe(
  subscribers: Pick<SubscriberRepository, 'subscriptionsOf' | 'putSubscription'>,
  clock: Clock,
  claims: Pick<LinkClaims, 's' | 'o' | 'a' | 'g'>,
  scope: UnsubscribeScope = 'list',
  /** List growth (reports): a reader's stop counts as unsubscribed; a suppression's as cleaned. */
  growth?: { readonly counter: ListGrowth; readonly change: 'list_unsubscribed' | 'list_cleaned' },
): Promise<UnsubscribeResult> {
  if (!claims.o) return { changed: 0, dropped: [] };
  const now = clock.now().toISOString();
  const mine = await subscribers.subscriptionsOf(claims.s);
  const broadcast = claims.o === HQ_POST;
  const targets = mine.filter(
    (s) =>
      s.status !== 'unsubscribed' &&
      s.post !== HQ_POST &&
      (scope === 'everything' ||
        // A post's email: its newsletter, every audience (a reader who says "stop" and gets
        // the same post's other variant next month was not unsubscribed); audiences one by
        // one are the preference centre's job.
        (!broadcast && s.post === claims.o)),
  );
  for (const s of targets)
    await subscribers.putSubscription({ ...s, status: 'unsubscribed', updatedAt: now });
  if (growth) {
    // Only confirmed subscriptions were on the list; a pending one leaves nothing to count.
    const perPost = new Map<string, number>();
    for (const s of targets)
      if (s.status === 'confirmed') perPost.set(s.post, (perPost.get(s.post) ?? 0) + 1);
    for (const [post, n] of perPost) await growth.counter.count(post, growth.change, n, now);
  }
  let changed = targets.length;
  if ((broadcast || scope === 'everything') && !stoppedBroadcasts(mine)) {
    await subscribers.putSubscription({
      subscriberId: claims.s,
      post: HQ_POST,
      audience: BROADCAST_AUDIENCE,
      language: languageOf(claims.g) ?? mine[0]?.language ?? 'en',
      status: 'unsubscribed',
      updatedAt: now,
    });
    changed++;
  }
  return { changed, dropped: targets };
}
