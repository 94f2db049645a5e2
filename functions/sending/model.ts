import type { Language } from '../core/model';

/**
 * What travels on the queues. Dispatch messages walk an edition's recipients page
 * by page (a message per step, so no Lambda run is long); send batches carry up to
 * 50 recipient ids of one variant.
 */

export const BATCH_SIZE = 50;

export interface DispatchMessage {
  readonly kind: 'dispatch';
  readonly editionId: string;
  /** Which variant (index in the edition) and where in its member list to go on. */
  readonly variant?: number;
  readonly cursor?: string;
  /** HQ broadcast: one parallel-scan segment of the subscribers table. */
  readonly segment?: number;
  readonly totalSegments?: number;
  readonly priority: 'normal' | 'crisis';
}

export interface SendBatchMessage {
  readonly kind: 'send';
  readonly editionId: string;
  readonly audience: string;
  readonly language: Language;
  readonly subscriberIds: readonly string[];
}

export type SendRecordStatus = 'claimed' | 'sent' | 'skipped' | 'failed';

/** One per edition x recipient: claimed before the SES call, marked after it. */
export interface SendRecord {
  readonly editionId: string;
  readonly subscriberId: string;
  /** The variant's audience that claimed it (a person in two audiences is sent one of them). */
  readonly audience: string;
  readonly status: SendRecordStatus;
  readonly claimedAt: string;
  readonly messageId?: string;
  readonly reason?: string;
}

/** Counters of one edition's send (sharded in DynamoDB; summed when read). */
export interface SendProgress {
  /** Recipients put on the queue by dispatch. */
  readonly queued: number;
  readonly sent: number;
  /** Unsubscribed or suppressed since dispatch, or no longer existing. */
  readonly skipped: number;
  readonly failed: number;
  /** HQ broadcast: people reached through several posts, sent once. */
  readonly duplicates: number;
  /** HQ broadcast: people subscribed to some post who asked for no HQ broadcast (not queued). */
  readonly declined?: number;
  /** People in two variants of one edition (two audiences of a post): sent once. */
  readonly overlaps: number;
  /** Dispatch steps still to run (0 when every recipient is queued). */
  readonly dispatchPending: number;
  /** Whether its first dispatch steps were queued (the START step). */
  readonly started?: boolean;
  /** Dispatch steps recorded (START aside): 0 while nothing is dispatched yet. */
  readonly steps?: number;
  /** When a counter last moved (ISO), for the stall rule. */
  readonly lastChangeAt?: string;
  /** Why the send is waiting, when it is (e.g. the daily quota is used up). */
  readonly note?: string;
}

export const EMPTY_PROGRESS: SendProgress = {
  queued: 0,
  sent: 0,
  skipped: 0,
  failed: 0,
  duplicates: 0,
  overlaps: 0,
  dispatchPending: 0,
};

/** Recipients queued and not yet settled (sent, skipped, failed or an overlap). */
export const remaining = (p: SendProgress) =>
  Math.max(0, p.queued - p.sent - p.skipped - p.failed - p.overlaps);
