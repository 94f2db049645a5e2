import type { AuditEntry } from '../core/audit';
import type { Language, Subscriber, Subscription, Suppression, SuppressionReason } from '../core/model';
import type { Page, PageRequest } from '../core/ports';

/** The subscribers module's ports: who is subscribed to what, and who must never be mailed. */
export interface SubscriberRepository {
  /** Creates the subscriber; ConflictError when the address already belongs to someone. */
  create(subscriber: Subscriber): Promise<void>;
  get(id: string): Promise<Subscriber | undefined>;
  /** A confirmed person is kept: the expiry of a never-confirmed sign-up is removed. */
  keep(subscriber: Pick<Subscriber, 'id' | 'email'>): Promise<void>;
  /** Profiles of these ids (one batched read); missing ids are absent. */
  getMany(ids: readonly string[]): Promise<Map<string, Subscriber>>;
  /** Status of each id's subscription to one post audience (batched). */
  subscriptionStatuses(
    ids: readonly string[],
    post: string,
    audience: string,
  ): Promise<Map<string, Subscription['status']>>;
  findByEmail(email: string): Promise<Subscriber | undefined>;
  /** Creates or replaces one subscription (subscriber x post audience). */
  putSubscription(subscription: Subscription): Promise<void>;
  subscriptionsOf(subscriberId: string): Promise<Subscription[]>;
  /** Confirmed members of one post audience in one language, page by page. */
  confirmedMembers(
    post: string,
    audience: string,
    language: Language,
    page?: PageRequest,
  ): Promise<Page<string>>;
  /** How many confirmed members one post audience has in one language (a count, no one read). */
  countMembers(post: string, audience: string, language: Language): Promise<number>;
  /** A post's subscriptions, optionally of one status, page by page. */
  subscriptionsOfPost(
    post: string,
    status?: Subscription['status'],
    page?: PageRequest,
  ): Promise<Page<Subscription>>;
  /** Bulk load for seeds and imports into empty lists: no per-item conditions. */
  importMany(
    people: readonly { subscriber: Subscriber; subscriptions: readonly Subscription[] }[],
    progress?: (done: number, total: number) => void,
  ): Promise<void>;
  /** The subscriber ids of the addresses that belong to someone (one batched read; imports). */
  subscriberIdsByEmail(emails: readonly string[]): Promise<Map<string, string>>;
  /** Creates or replaces many subscriptions, 25 per batch write (imports). */
  putSubscriptions(subscriptions: readonly Subscription[]): Promise<void>;
  /** Changes a person's own name and preferred language (preference centre); an unknown id changes nothing. */
  updateProfile(id: string, changes: { name: string; language: Language }): Promise<void>;
  /**
   * Writes a pending subscription unless that subscription is confirmed (an import may
   * have confirmed it since it was read); false when it was left as it is.
   */
  putPending(subscription: Subscription): Promise<boolean>;
}

export interface SuppressionRepository {
  put(suppression: Suppression): Promise<void>;
  get(email: string): Promise<Suppression | undefined>;
  /** The suppressed addresses among the given ones (one batched read); erased addresses match by their hash. */
  suppressedAmong(emails: readonly string[]): Promise<Set<string>>;
  /** Suppressions newest first, of one reason or of every reason in turn; erased ones show their hash only. */
  list(reason?: SuppressionReason, page?: PageRequest): Promise<Page<Suppression>>;
  /** Removes the address's suppression and its erased-address hash; false when there was none. */
  remove(email: string): Promise<boolean>;
  /** Keeps only a keyed hash of the address (GDPR erasure), and drops its plain suppression. */
  putErased(email: string, at: string): Promise<void>;
}

/** Subscribe's own store: versioned consent texts and rate-limit windows (subscribe.ts). */
export interface SubscribeStore {
  /** Stores a consent text once; storing the same id again changes nothing. */
  putConsentText(text: { id: string; language: string; text: string; at: string }): Promise<void>;
  getConsentText(id: string): Promise<{ id: string; language: string; text: string } | undefined>;
  /**
   * Takes one of `max` slots of the window `key` (windows start at the first take and
   * last `windowSeconds`); false when the window is full. Atomic across callers.
   */
  takeSlot(key: string, max: number, windowSeconds: number, now: Date): Promise<boolean>;
}

/** A post's latest sent edition, for the welcome message's link to its web version. */
export interface LatestEditions {
  latestSent(
    post: string,
  ): Promise<{ id: string; variants: readonly { audience: string; language: string }[] } | undefined>;
}

/** What the send pipeline and the audit trail hold about one person (sends, events, audit tables). */
export interface PersonalRecords {
  readonly sends: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
  readonly audit: readonly AuditEntry[];
}

/**
 * GDPR access and erasure across the tables other modules own. Reads Scan those
 * tables (no index is keyed by person there): an admin's rare request, never a
 * subscriber's path.
 */
export interface PersonalDataStore {
  find(subscriberId: string | undefined, email: string): Promise<PersonalRecords>;
  /**
   * Deletes the person's send records and events, replaces the personal fields of the
   * audit entries naming them by `pseudonym`, then deletes their subscriptions, profile
   * and email claim (the claim last, so an interrupted erasure finds them again).
   */
  erase(
    subscriberId: string | undefined,
    email: string,
    pseudonym: string,
  ): Promise<{ subscriber: number; sends: number; events: number; audit: number }>;
}

/** A change to a post's list, counted per month for the usage reports (docs/metrics.md "List growth"). */
export type ListChange = 'list_new' | 'list_confirmed' | 'list_unsubscribed' | 'list_cleaned';

/** Counts list changes (the reports' list growth); counters, never people. */
export interface ListGrowth {
  count(post: string, change: ListChange, n: number, at: string): Promise<void>;
}
