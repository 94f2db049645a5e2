import type { Clock, SubscriberRepository } from './ports';
import type { LinkClaims } from './signed-links';

/**
 * Unsubscribes the person named by a verified link from the post audience it names
 * (or from every audience of the post when the link names none). Idempotent, and it
 * answers the same whether or not the subscription exists, so a link reveals nothing.
 * Returns how many subscriptions changed (for counters, never for the caller).
 */
export async function unsubscribe(
  subscribers: SubscriberRepository,
  clock: Clock,
  claims: Pick<LinkClaims, 's' | 'o' | 'a'>,
): Promise<number> {
  if (!claims.o) return 0;
  const now = clock.now().toISOString();
  const targets = (await subscribers.subscriptionsOf(claims.s)).filter(
    (s) =>
      s.post === claims.o &&
      (claims.a === undefined || s.audience === claims.a) &&
      s.status !== 'unsubscribed',
  );
  for (const s of targets)
    await subscribers.putSubscription({ ...s, status: 'unsubscribed', updatedAt: now });
  return targets.length;
}
