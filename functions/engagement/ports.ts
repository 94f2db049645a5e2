import type { Suppression } from '../core/model';
import type { EngagementEvent } from './model';

/** The ledger of accepted sends, written from SES Send events (read by the send worker). */
export interface AcceptedSends {
  record(editionId: string, subscriberId: string, messageId: string, expiresAt: number): Promise<void>;
}

export interface Suppressions {
  put(suppression: Suppression): Promise<void>;
}

/** Where the public routes put what readers do; consumed in batches (SQS on AWS). */
export interface EventQueue {
  send(events: readonly EngagementEvent[]): Promise<void>;
}

/**
 * What one person did with one edition, so far: the first open, first human open,
 * first click, first human click (ISO times) and the links clicked. Makes "unique"
 * exact: a count goes up only when the mark did not have it.
 */
export interface Mark {
  readonly open?: string;
  readonly openH?: string;
  readonly click?: string;
  readonly clickH?: string;
  readonly links: ReadonlySet<number>;
}

/** A person's mark for an edition, or, for an aggregate-only audience, a keyed hash of the pair. */
export type MarkKey =
  | { readonly editionId: string; readonly subscriberId: string; readonly post: string }
  | { readonly hash: string };

export interface SoftBounceStreak {
  /** Consecutive editions that soft-bounced. */
  readonly streak: number;
  readonly lastEdition: string;
}

export interface EngagementStore {
  /** Writes the raw event once (conditional on its id); false when it was recorded before. */
  putRaw(event: EngagementEvent, owner: MarkKey | undefined, expiresAt: number): Promise<boolean>;
  /** The marks of these keys (absent: nothing yet); one batched read. */
  marks(keys: readonly MarkKey[]): Promise<Map<string, Mark>>;
  /** Adds to a mark and returns it as it was before the change (exact under concurrent writers). */
  updateMark(
    key: MarkKey,
    add: Partial<Omit<Mark, 'links'>> & { links?: readonly number[] },
    expiresAt: number,
  ): Promise<Mark>;
  streaks(subscriberIds: readonly string[]): Promise<Map<string, SoftBounceStreak>>;
  setStreak(subscriberId: string, streak: SoftBounceStreak | undefined): Promise<void>;
}

/** An audience's kind and whether it keeps only counts (a sensitive list). */
export interface AudienceFacts {
  readonly kind: string;
  readonly aggregateOnly: boolean;
}

export interface AudienceDirectory {
  /** undefined when the post or audience is unknown (a deleted audience: counted under "unknown"). */
  audience(post: string, audience: string): Promise<AudienceFacts | undefined>;
}

/** Stops every newsletter for a person (a hard bounce or a complaint). */
export interface Unsubscriber {
  everything(subscriberId: string): Promise<void>;
}

export const markKeyString = (k: MarkKey) =>
  'hash' in k ? `#${k.hash}` : `${k.editionId}#${k.subscriberId}`;
