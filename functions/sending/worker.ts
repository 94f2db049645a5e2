import type { Logger } from '../core/log';
import type { Mailer } from '../core/mail';
import type { Post, Subscriber } from '../core/model';
import { HQ_POST } from '../core/model';
import type { Edition } from '../editions/model';
import { type EditionDeps, sendingRender } from '../editions/service';
import type { Labels } from '../rendering/templates';
import type { SubscriberRepository, SuppressionRepository } from '../subscribers/ports';
import { stoppedBroadcasts } from '../subscribers/unsubscribe';
import { addressee, type MessageLinks, prepareVariantMail, type VariantMail } from './message';
import type { SendBatchMessage, SendProgress, SendRecord } from './model';
import type { ProgressStore, QuotaSource, SendLedger, SendMetrics, SendRecords } from './ports';
import { backoffMs, isDailyQuotaExceeded, isRejected, isThrottling, type RateGovernor } from './rate';

/**
 * The send worker: one batch of up to 50 recipients of one variant.
 *
 *  1. Read the send records, profiles, subscriptions and suppressions of the batch
 *     (four batched reads, not one per recipient).
 *  2. Per recipient: skip who is done, unsubscribed or suppressed; claim the send
 *     record with a conditional write; personalise the variant's compiled HTML;
 *     send through SES at the governed rate; mark the record sent with SES's id.
 *  3. Count the batch once (a crash loses at most a batch's counts, never a
 *     recipient: the finisher settles the totals from the send records).
 *
 * A claim is a lease of `leaseMs`. An attempt never calls SES once its claim is older
 * than its lease (checked right before the call), and another attempt takes a claim
 * over only when it is older than lease + margin and the ledger of accepted sends
 * (SES Send events) shows no message: a slow attempt and its takeover can never both
 * send. On AWS the lease is at least the worker's Lambda timeout.
 */

export interface WorkerDeps {
  readonly editions: EditionDeps;
  readonly subscribers: Pick<SubscriberRepository, 'getMany' | 'subscriptionStatuses' | 'subscriptionsOf'>;
  readonly suppressions: Pick<SuppressionRepository, 'suppressedAmong'>;
  readonly records: SendRecords;
  readonly progress: ProgressStore;
  readonly ledger: SendLedger;
  readonly mailer: Mailer;
  readonly quota: QuotaSource;
  readonly governor: RateGovernor;
  /** This worker's share of the account's MaxSendRate (1 / reserved concurrency). */
  readonly workerShare: number;
  readonly links: MessageLinks;
  readonly labels: (language: string) => Labels;
  readonly log: Logger;
  /** How long a claim entitles its attempt to call SES. */
  readonly leaseMs: number;
  /** How much longer a takeover waits (covers an SES call started just before the lease ended). */
  readonly takeoverMarginMs: number;
  /** Compiled variants, posts and the quota as last read: one set per worker, not global. */
  readonly caches: WorkerCaches;
  /** Tests: called at each step so a crash can be simulated there. */
  readonly fault?: (point: 'claimed' | 'accepted' | 'marked') => void;
  /** Tests: runs right before each SES call, to slow an attempt on purpose. */
  readonly beforeSend?: () => Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
  /** What each batch did, for operators (CloudWatch EMF on AWS; nothing locally). */
  readonly metrics?: SendMetrics;
}

export interface WorkerCaches {
  /** By edition revision and variant: MJML, splitting and the MIME template happen once. */
  readonly variants: Map<string, VariantMail>;
  readonly posts: Map<string, { post: Post; at: number }>;
  quota?: { at: number; sent: number; max: number } | undefined;
}

export const newWorkerCaches = (): WorkerCaches => ({ variants: new Map(), posts: new Map() });

export interface BatchOutcome {
  /** Whether the whole batch is done (false: SQS should deliver it again later). */
  readonly complete: boolean;
  readonly counts: Partial<SendProgress>;
  readonly reason?: string;
}

async function compiled(deps: WorkerDeps, post: Post, edition: Edition, audience: string, language: string) {
  const key = `${edition.id}/${edition.revision}/${audience}/${language}`;
  let c = deps.caches.variants.get(key);
  if (!c) {
    c = await prepareVariantMail(
      deps.mailer,
      post,
      edition,
      await sendingRender(deps.editions, edition, audience, language),
      deps.labels(language),
    );
    if (deps.caches.variants.size > 200) deps.caches.variants.clear();
    deps.caches.variants.set(key, c);
  }
  return c;
}

const now = (deps: WorkerDeps) => deps.editions.clock.now().getTime();

async function postOf(deps: WorkerDeps, code: string): Promise<Post | undefined> {
  const hit = deps.caches.posts.get(code);
  if (hit && now(deps) - hit.at < 60_000) return hit.post;
  const post = await deps.editions.posts.get(code);
  if (post) deps.caches.posts.set(code, { post, at: now(deps) });
  return post;
}

/**
 * Who of the batch is still a confirmed member, read once per batch: of the variant's
 * audience (one BatchGet), or, for an HQ broadcast, of any post (their subscriptions,
 * read in parallel).
 */
async function stillConfirmed(
  deps: WorkerDeps,
  ids: readonly string[],
  audience: { post: string; audience: string } | undefined,
): Promise<Set<string>> {
  if (audience) {
    const statuses = await deps.subscribers.subscriptionStatuses(ids, audience.post, audience.audience);
    return new Set(ids.filter((id) => statuses.get(id) === 'confirmed'));
  }
  // A broadcast: confirmed somewhere, and HQ broadcasts not stopped (even since dispatch).
  const subscriptions = await Promise.all(ids.map((id) => deps.subscribers.subscriptionsOf(id)));
  return new Set(
    ids.filter((_, i) => {
      const mine = subscriptions[i] ?? [];
      return mine.some((s) => s.status === 'confirmed' && s.post !== HQ_POST) && !stoppedBroadcasts(mine);
    }),
  );
}

export async function processBatch(deps: WorkerDeps, msg: SendBatchMessage): Promise<BatchOutcome> {
  const edition = await deps.editions.editions.get(msg.editionId);
  if (!edition || edition.status === 'cancelled')
    return { complete: true, counts: {}, reason: 'edition cancelled' };
  const post = await postOf(deps, edition.post);
  if (!post) return { complete: true, counts: {}, reason: 'post gone' };

  // Daily quota: pause (SQS delivers the batch again later) rather than fail.
  let quotaCache = deps.caches.quota;
  if (!quotaCache || now(deps) - quotaCache.at > 30_000) {
    const q = await deps.quota.quota();
    deps.governor.setRate(q.maxSendRate * deps.workerShare);
    quotaCache = { at: now(deps), sent: q.sentLast24Hours, max: q.max24HourSend };
    deps.caches.quota = quotaCache;
  }
  if (quotaCache.max > 0 && quotaCache.sent + msg.subscriberIds.length > quotaCache.max) {
    const reason = `paused: the SES daily quota is reached (${quotaCache.sent}/${quotaCache.max}); sending resumes as the 24-hour window frees`;
    await deps.progress.note(edition.id, reason);
    deps.caches.quota = undefined; // ask SES again next time: the window slides
    return { complete: false, counts: {}, reason };
  }

  const ids = msg.subscriberIds;
  const broadcast = edition.post === HQ_POST;
  const [records, profiles, confirmed] = await Promise.all([
    deps.records.get(edition.id, ids),
    deps.subscribers.getMany(ids),
    stillConfirmed(deps, ids, broadcast ? undefined : { post: edition.post, audience: msg.audience }),
  ]);
  const suppressed = await deps.suppressions.suppressedAmong([...profiles.values()].map((p) => p.email));
  const variant = await compiled(deps, post, edition, msg.audience, msg.language);
  // Counted in memory, written once for the batch (one write per 50, not per recipient).
  const counts: Counts = { sent: 0, skipped: 0, failed: 0, overlaps: 0 };
  const throttles = { n: 0 };
  try {
    const outcome = await settleBatch(
      deps,
      msg,
      edition,
      variant,
      { records, profiles, confirmed, suppressed },
      counts,
      throttles,
    );
    return { ...outcome, counts };
  } finally {
    if (Object.values(counts).some((n) => n > 0)) await deps.progress.add(edition.id, counts);
    quotaCache.sent += counts.sent;
    deps.metrics?.batch({
      post: edition.post,
      kind: edition.priority === 'crisis' ? 'crisis' : broadcast ? 'broadcast' : 'newsletter',
      sent: counts.sent,
      failed: counts.failed,
      skipped: counts.skipped,
      throttled: throttles.n,
    });
  }
}

type Counts = { sent: number; skipped: number; failed: number; overlaps: number };

async function settleBatch(
  deps: WorkerDeps,
  msg: SendBatchMessage,
  edition: Edition,
  variant: VariantMail,
  read: {
    records: Map<string, SendRecord>;
    profiles: Map<string, Subscriber>;
    confirmed: Set<string>;
    suppressed: Set<string>;
  },
  counts: Counts,
  throttles: { n: number },
): Promise<Omit<BatchOutcome, 'counts'>> {
  const { records, profiles, confirmed, suppressed } = read;
  const count = (what: keyof Counts) => {
    counts[what]++;
  };
  const ids = msg.subscriberIds;
  let incomplete: string | undefined;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));

  for (const id of ids) {
    let record = records.get(id);
    const claimAt = new Date(now(deps)).toISOString();
    if (!record) {
      if (!(await deps.records.claim(edition.id, id, msg.audience, claimAt))) {
        // Claimed meanwhile: by a duplicate delivery of this batch, or by another variant.
        record = (await deps.records.get(edition.id, [id])).get(id);
        if (!record) {
          incomplete = 'a claim was released meanwhile';
          continue;
        }
      }
    }
    if (record && record.audience !== msg.audience) {
      // In two audiences of this edition: one message only, this entry settles as an overlap.
      if (await deps.records.overlap(edition.id, id, msg.audience)) count('overlaps');
      continue;
    }
    if (record && record.status !== 'claimed') continue; // settled before: a redelivery

    const profile = profiles.get(id);
    const stillSubscribed = confirmed.has(id);
    if (!profile || !stillSubscribed || suppressed.has(profile.email)) {
      // Unsubscribed or suppressed since dispatch: never mailed.
      const reason = !profile ? 'gone' : suppressed.has(profile.email) ? 'suppressed' : 'unsubscribed';
      if (await deps.records.mark(edition.id, id, 'skipped', { reason })) count('skipped');
      continue;
    }

    let claimedAt = record?.claimedAt ?? claimAt;
    if (record) {
      // Claimed before and never marked: the outcome of that attempt is unknown.
      const accepted = await deps.ledger.accepted(edition.id, id);
      if (accepted) {
        if (await deps.records.mark(edition.id, id, 'sent', { messageId: accepted })) count('sent');
        continue;
      }
      if (now(deps) - Date.parse(record.claimedAt) < deps.leaseMs + deps.takeoverMarginMs) {
        // Maybe still being sent by another delivery of this batch: decide later, never twice.
        incomplete = 'a recipient claimed by another attempt is not settled yet';
        continue;
      }
      if (!(await deps.records.reclaim(edition.id, id, record.claimedAt, claimAt))) continue;
      claimedAt = claimAt;
    }
    deps.fault?.('claimed');

    const result = await sendOne(deps, variant, profile, claimedAt, sleep, throttles);
    if (result.status === 'sent') {
      deps.fault?.('accepted');
      const settled = await deps.records.mark(edition.id, id, 'sent', { messageId: result.messageId });
      deps.fault?.('marked');
      if (settled) count('sent');
    } else if (result.status === 'expired') {
      // Not sent, and maybe taken over: leave the claim to the takeover rule (ledger, then lease).
      incomplete = result.reason;
    } else if (result.status === 'rejected') {
      if (await deps.records.mark(edition.id, id, 'failed', { reason: result.reason })) count('failed');
    } else {
      // Certainly not accepted (throttled past retries, quota): release the claim for a redelivery.
      await deps.records.release(edition.id, id, claimedAt);
      incomplete = result.reason;
      if (result.status === 'quota') {
        await deps.progress.note(edition.id, `paused: ${result.reason}`);
        break;
      }
    }
  }

  return { complete: incomplete === undefined, ...(incomplete ? { reason: incomplete } : {}) };
}

type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'rejected'; reason: string }
  | { status: 'retry'; reason: string }
  | { status: 'quota'; reason: string }
  /** The claim's lease ran out before the call: the claim stays, a takeover decides. */
  | { status: 'expired'; reason: string };

async function sendOne(
  deps: WorkerDeps,
  vm: VariantMail,
  profile: Subscriber,
  claimedAt: string,
  sleep: (ms: number) => Promise<void>,
  throttles: { n: number },
): Promise<SendResult> {
  const message = addressee(vm, deps.links, {
    id: profile.id,
    email: profile.email,
    name: profile.name || undefined,
  });
  for (let attempt = 0; attempt < 6; attempt++) {
    await deps.governor.acquire();
    await deps.beforeSend?.();
    // The fence: past its lease, this attempt may have been taken over; it must not send.
    if (now(deps) - Date.parse(claimedAt) >= deps.leaseMs)
      return { status: 'expired', reason: 'the claim outlived its lease before the SES call' };
    try {
      const { messageId } = await vm.mail.send(message);
      return { status: 'sent', messageId };
    } catch (error) {
      if (isDailyQuotaExceeded(error))
        return { status: 'quota', reason: 'daily quota reached: resumes when the 24-hour window frees' };
      if (isRejected(error)) return { status: 'rejected', reason: (error as Error).message.slice(0, 200) };
      if (!isThrottling(error)) throw error; // unknown outcome: the claim stays, the batch is retried
      throttles.n++;
      await sleep(backoffMs(attempt));
    }
  }
  return { status: 'retry', reason: 'SES kept throttling' };
}
