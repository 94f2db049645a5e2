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
 * What one person did with one edition, so far, for opens or for clicks: the first
 * one, the first by a person (not a machine), and the links clicked (ISO times).
 * Makes "unique" exact: a count goes up only when the mark did not have it.
 */
export interface Mark {
  readonly first?: string;
  readonly firstH?: string;
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
  /**
   * Adds an open or click (web views are opens) to the person's mark for the edition,
   * in one write refused for an id seen before ('duplicate'); answers the mark as it
   * was before. `human`: whether it counts for the first human open or click.
   */
  recordTracking(
    event: EngagementEvent,
    owner: MarkKey,
    human: boolean,
    expiresAt: number,
  ): Promise<Mark | 'duplicate'>;
  /**
   * Adds months to a person's activity sets (activity.ts), in one write, and answers
   * the sets of those attributes as they were before it.
   */
  addActivity(
    subscriberId: string,
    adds: ReadonlyMap<string, ReadonlySet<string>>,
    expiresAt: number,
  ): Promise<Map<string, ReadonlySet<string>>>;
  /** People's activity sets as they are now (a batch read: most batches add no new month). */
  activities(subscriberIds: readonly string[]): Promise<Map<string, Map<string, ReadonlySet<string>>>>;
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

/** The central stories a variant shows (its links' stories), for their reach. */
export interface VariantStories {
  of(editionId: string, audience: string, language: string): Promise<readonly string[]>;
}

/** Stops every newsletter for a person (a hard bounce or a complaint). */
export interface Unsubscriber {
  everything(subscriberId: string): Promise<void>;
}

export const markKeyString = (k: MarkKey) =>
  'hash' in k ? `#${k.hash}` : `${k.editionId}#${k.subscriberId}`;
