import type { Language } from '../core/model';
import type { Page, PageRequest } from '../core/ports';
import type { DispatchMessage, SendBatchMessage, SendProgress, SendRecord } from './model';

export interface Queue<T> {
  /** At-least-once: a message may be delivered again; consumers are idempotent. */
  send(messages: readonly T[]): Promise<void>;
}

export interface Queues {
  readonly dispatch: Queue<DispatchMessage>;
  readonly send: Queue<SendBatchMessage>;
  /** Crisis alerts: consumed ahead of the send queue. */
  readonly crisis: Queue<SendBatchMessage>;
}

export interface SendRecords {
  /** Claims (edition, recipient) for one variant's audience; false when a record exists. */
  claim(editionId: string, subscriberId: string, audience: string, at: string): Promise<boolean>;
  /** Records, once, that a second variant's queue entry for this person was settled as an overlap. */
  overlap(editionId: string, subscriberId: string, audience: string): Promise<boolean>;
  get(editionId: string, subscriberIds: readonly string[]): Promise<Map<string, SendRecord>>;
  /** Takes over a claim whose outcome is unknown, if it is still the one read. */
  reclaim(editionId: string, subscriberId: string, previousClaimAt: string, at: string): Promise<boolean>;
  /** Settles a claimed record; false when it was settled already (counted by whoever did it). */
  mark(
    editionId: string,
    subscriberId: string,
    status: 'sent' | 'skipped' | 'failed',
    detail: { messageId?: string; reason?: string },
  ): Promise<boolean>;
  /** Gives up a claim that SES certainly did not accept (throttled), so a redelivery can send. */
  release(editionId: string, subscriberId: string, claimedAt: string): Promise<void>;
}

export interface ProgressStore {
  add(editionId: string, delta: Partial<SendProgress>): Promise<void>;
  /** Records a dispatch step with the recipients it queued; false if it was recorded before. */
  /**
   * Records a dispatch step once (false when it was recorded before). `pending`: the
   * dispatch steps it starts, added to `dispatchPending` in the same write (the START).
   */
  step(
    editionId: string,
    step: string,
    queued: number,
    duplicates: number,
    pending?: number,
  ): Promise<boolean>;
  read(editionId: string): Promise<SendProgress>;
  /** Why a send is waiting (daily quota): shown until the counters move again. */
  note(editionId: string, text: string): Promise<void>;
}

/** Did SES accept a message for this recipient of this edition? (SES Send events on AWS.) */
export interface SendLedger {
  accepted(editionId: string, subscriberId: string): Promise<string | undefined>;
}

export interface SendQuota {
  readonly maxSendRate: number;
  readonly max24HourSend: number;
  readonly sentLast24Hours: number;
}

export interface QuotaSource {
  quota(): Promise<SendQuota>;
}

/** Everyone to reach in an HQ broadcast: one item per person, their confirmed subscriptions with it. */
export interface NetworkMember {
  readonly subscriberId: string;
  readonly preferredLanguage: Language;
  /** They stopped HQ broadcasts (core/unsubscribe.ts): never a broadcast recipient. */
  readonly broadcastsStopped: boolean;
  readonly confirmed: readonly { post: string; audience: string; language: Language }[];
}

export interface RecipientSource {
  confirmedMembers(
    post: string,
    audience: string,
    language: Language,
    page: PageRequest,
  ): Promise<Page<string>>;
  /** One segment of a parallel scan of every subscriber (HQ broadcast only). */
  networkSegment(segment: number, totalSegments: number, page: PageRequest): Promise<Page<NetworkMember>>;
}

/** What one send batch did: operators' metrics (messages sent, failed, skipped; SES Throttling answers). */
export interface BatchMetrics {
  readonly post: string;
  /** crisis: a crisis alert; broadcast: HQ to the network; newsletter: a post's edition. */
  readonly kind: 'newsletter' | 'broadcast' | 'crisis';
  readonly sent: number;
  readonly failed: number;
  readonly skipped: number;
  readonly throttled: number;
}

export interface SendMetrics {
  batch(metrics: BatchMetrics): void;
}
