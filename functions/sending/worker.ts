import { mimeTemplate, type RecipientMime } from '../adapters/ses/mime';
import { type CompiledVariant, composeMessage } from '../core/compose-message';
import { unsubscribeMailbox } from '../core/edition-mail';
import { type EditionDeps, variantRender } from '../core/edition-service';
import { type Edition, HQ_POST } from '../core/editions';
import type { Logger } from '../core/log';
import type { Mailer } from '../core/mail';
import type { Post, Subscriber } from '../core/model';
import type { SubscriberRepository, SuppressionRepository } from '../core/ports';
import { recipientLinks } from '../core/recipient-links';
import type { LinkKey } from '../core/signed-links';
import { compileVariant } from '../render/personalise';
import type { Labels } from '../render/templates';
import type { SendBatchMessage, SendProgress } from './model';
import type { ProgressStore, QuotaSource, SendLedger, SendRecords } from './ports';
import { backoffMs, isDailyQuotaExceeded, isRejected, isThrottling, type RateGovernor } from './rate';

/**
 * The send worker: one batch of up to 50 recipients of one variant.
 *
 *  1. Read the send records, profiles, subscriptions and suppressions of the batch
 *     (four batched reads, not one per recipient).
 *  2. Per recipient: skip who is done, unsubscribed or suppressed; claim the send
 *     record with a conditional write; personalise the variant's compiled HTML;
 *     send through SES at the governed rate; mark the record sent with SES's id.
 *  3. Count the batch once.
 *
 * A claim whose outcome is unknown (a crash between the SES call and the mark, or
 * another delivery of the same batch still at work) is resent only when the ledger
 * of accepted sends (SES Send events) shows none, and only once the claim is older
 * than `unknownAfterMs` (at least the queue's visibility timeout); until then the
 * batch is reported incomplete and comes back later.
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
  readonly links: { readonly baseUrl: string; readonly keys: readonly LinkKey[] };
  readonly labels: (language: string) => Labels;
  readonly log: Logger;
  readonly unknownAfterMs: number;
  /** Tests: called at each step so a crash can be simulated there. */
  readonly fault?: (point: 'claimed' | 'accepted' | 'marked') => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface BatchOutcome {
  /** Whether the whole batch is done (false: SQS should deliver it again later). */
  readonly complete: boolean;
  readonly counts: Partial<SendProgress>;
  readonly reason?: string;
}

/** Compiled variants by edition revision: MJML and splitting happen once per variant per worker. */
interface CompiledSend {
  readonly variant: CompiledVariant;
  readonly mime: (r: RecipientMime) => Buffer;
}
const compiledCache = new Map<string, CompiledSend>();
const postCache = new Map<string, { post: Post; at: number }>();

async function compiled(deps: WorkerDeps, post: Post, edition: Edition, audience: string, language: string) {
  const key = `${edition.id}/${edition.revision}/${audience}/${language}`;
  let c = compiledCache.get(key);
  if (!c) {
    const variant = compileVariant(
      await variantRender(deps.editions, edition, audience, language),
      deps.labels(language),
    );
    const mime = await mimeTemplate(
      {
        from: post.sender,
        subject: variant.render.subject,
        headers: { 'X-Missive-Edition': edition.id },
        tags: {},
      },
      unsubscribeMailbox(post.sender.address),
    );
    c = { variant, mime };
    if (compiledCache.size > 200) compiledCache.clear();
    compiledCache.set(key, c);
  }
  return c;
}

async function postOf(deps: WorkerDeps, code: string): Promise<Post | undefined> {
  const hit = postCache.get(code);
  if (hit && Date.now() - hit.at < 60_000) return hit.post;
  const post = await deps.editions.posts.get(code);
  if (post) postCache.set(code, { post, at: Date.now() });
  return post;
}

/** The account's quota as last read, per quota source (one per context: tests run several). */
const quotaCaches = new WeakMap<QuotaSource, { at: number; sent: number; max: number }>();

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
  const subscriptions = await Promise.all(ids.map((id) => deps.subscribers.subscriptionsOf(id)));
  return new Set(ids.filter((_, i) => subscriptions[i]?.some((s) => s.status === 'confirmed')));
}

export async function processBatch(deps: WorkerDeps, msg: SendBatchMessage): Promise<BatchOutcome> {
  const edition = await deps.editions.editions.get(msg.editionId);
  if (!edition || edition.status === 'cancelled')
    return { complete: true, counts: {}, reason: 'edition cancelled' };
  const post = await postOf(deps, edition.post);
  if (!post) return { complete: true, counts: {}, reason: 'post gone' };

  // Daily quota: pause (SQS delivers the batch again later) rather than fail.
  const now = Date.now();
  let quotaCache = quotaCaches.get(deps.quota);
  if (!quotaCache || now - quotaCache.at > 30_000) {
    const q = await deps.quota.quota();
    deps.governor.setRate(q.maxSendRate * deps.workerShare);
    quotaCache = { at: now, sent: q.sentLast24Hours, max: q.max24HourSend };
    quotaCaches.set(deps.quota, quotaCache);
  }
  if (quotaCache.max > 0 && quotaCache.sent + msg.subscriberIds.length > quotaCache.max) {
    const reason = `paused: the SES daily quota is reached (${quotaCache.sent}/${quotaCache.max}); sending resumes as the 24-hour window frees`;
    await deps.progress.note(edition.id, reason);
    quotaCaches.delete(deps.quota); // ask SES again next time: the window slides
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
  const counts = { sent: 0, skipped: 0, failed: 0, overlaps: 0 };
  // Counted recipient by recipient, right after its record: a crash loses at most one count.
  const count = async (what: keyof typeof counts) => {
    counts[what]++;
    await deps.progress.add(edition.id, { [what]: 1 });
  };
  let incomplete: string | undefined;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));

  for (const id of ids) {
    let record = records.get(id);
    const claimAt = new Date().toISOString();
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
      if (await deps.records.overlap(edition.id, id, msg.audience)) await count('overlaps');
      continue;
    }
    if (record && record.status !== 'claimed') continue; // settled before: a redelivery

    const profile = profiles.get(id);
    const stillSubscribed = confirmed.has(id);
    if (!profile || !stillSubscribed || suppressed.has(profile.email)) {
      // Unsubscribed or suppressed since dispatch: never mailed.
      const reason = !profile ? 'gone' : suppressed.has(profile.email) ? 'suppressed' : 'unsubscribed';
      if (await deps.records.mark(edition.id, id, 'skipped', { reason })) await count('skipped');
      continue;
    }

    let claimedAt = record?.claimedAt ?? claimAt;
    if (record) {
      // Claimed before and never marked: the outcome of that attempt is unknown.
      const accepted = await deps.ledger.accepted(edition.id, id);
      if (accepted) {
        if (await deps.records.mark(edition.id, id, 'sent', { messageId: accepted })) await count('sent');
        continue;
      }
      if (Date.now() - Date.parse(record.claimedAt) < deps.unknownAfterMs) {
        // Maybe still being sent by another delivery of this batch: decide later, never twice.
        incomplete = 'a recipient claimed by another attempt is not settled yet';
        continue;
      }
      if (!(await deps.records.reclaim(edition.id, id, record.claimedAt, claimAt))) continue;
      claimedAt = claimAt;
    }
    deps.fault?.('claimed');

    const result = await sendOne(deps, post, edition, variant, profile, msg, sleep);
    if (result.status === 'sent') {
      deps.fault?.('accepted');
      const settled = await deps.records.mark(edition.id, id, 'sent', { messageId: result.messageId });
      deps.fault?.('marked');
      if (settled) await count('sent');
    } else if (result.status === 'rejected') {
      if (await deps.records.mark(edition.id, id, 'failed', { reason: result.reason })) await count('failed');
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

  quotaCache.sent += counts.sent;
  return { complete: incomplete === undefined, counts, ...(incomplete ? { reason: incomplete } : {}) };
}

type SendResult =
  | { status: 'sent'; messageId: string }
  | { status: 'rejected'; reason: string }
  | { status: 'retry'; reason: string }
  | { status: 'quota'; reason: string };

async function sendOne(
  deps: WorkerDeps,
  post: Post,
  edition: Edition,
  compiledSend: CompiledSend,
  profile: Subscriber,
  msg: SendBatchMessage,
  sleep: (ms: number) => Promise<void>,
): Promise<SendResult> {
  const links = recipientLinks(deps.links.baseUrl, deps.links.keys, {
    subscriberId: profile.id,
    editionId: edition.id,
    post: edition.post,
    audience: msg.audience,
    language: msg.language,
  });
  const variant = compiledSend.variant;
  const message = composeMessage(
    post,
    variant,
    { email: profile.email, name: profile.name || undefined, links },
    {
      editionId: edition.id,
      unsubscribeMailto: unsubscribeMailbox(post.sender.address),
    },
  );
  // The per-variant MIME template; an address beyond ASCII gets a full MailComposer build.
  const raw = /^[\x21-\x7e]+@[\x21-\x7e]+$/.test(profile.email)
    ? compiledSend.mime({
        to: profile.email,
        recipientId: profile.id,
        unsubscribeUrl: links.unsubscribe,
        html: message.html,
        text: message.text,
      })
    : undefined;
  const outgoing = {
    ...message,
    headers: { ...message.headers, 'X-Missive-Recipient': profile.id },
    tags: { ...message.tags, recipient: profile.id },
    ...(raw ? { raw } : {}),
  };
  for (let attempt = 0; attempt < 6; attempt++) {
    await deps.governor.acquire();
    try {
      const { messageId } = await deps.mailer.send(outgoing);
      return { status: 'sent', messageId };
    } catch (error) {
      if (isDailyQuotaExceeded(error))
        return { status: 'quota', reason: 'daily quota reached: resumes when the 24-hour window frees' };
      if (isRejected(error)) return { status: 'rejected', reason: (error as Error).message.slice(0, 200) };
      if (!isThrottling(error)) throw error; // unknown outcome: the claim stays, the batch is retried
      await sleep(backoffMs(attempt));
    }
  }
  return { status: 'retry', reason: 'SES kept throttling' };
}

/** Forget cached state (tests that change editions between runs). */
export function resetWorkerCaches(): void {
  compiledCache.clear();
  postCache.clear();
}
