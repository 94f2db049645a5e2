import type { Page, PageRequest } from './ports';

export const AUDIT_ACTIONS = [
  'edition.created',
  'edition.updated',
  'edition.submitted',
  'edition.approved',
  'edition.scheduled',
  /** Sending started (dispatch queued): the person who sent it, or `scheduler` at the scheduled time. */
  'edition.sending',
  /** Every recipient settled: written by whoever finished it (`system`). */
  'edition.sent',
  'edition.cancelled',
  'report.exported',
  'subscribers.exported',
  /** A list imported into a post (CSV or Mailchimp ZIP): counts only, never an address. */
  'subscribers.imported',
  /** A person added by staff (a confirmation was sent; they are pending until they confirm). */
  'subscribers.added',
  /** A staff read of a post's people (list or search): filters and row count, never the search text. */
  'subscribers.listed',
  /** A person's subscriptions at a post made unsubscribed by staff. */
  'subscriber.removed',
  /** GDPR right of access: everything held about one person, read by an admin. */
  'subscriber.accessed',
  /** GDPR erasure: the target names a keyed hash of the subscriber id, never the address. */
  'subscriber.erased',
  'suppression.added',
  'suppression.removed',
  /** An edition in review sent back to its editors with a comment (kept on the edition). */
  'edition.sent-back',
  /** The monthly digest: a post's (or the network's) report mailed to its mailbox, or a dry run of it. */
  'report.digest',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One staff action: who (the identity's subject, not a name or address), what, on what, when. */
export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: AuditAction;
  /** The post concerned; undefined for network-wide actions (HQ broadcast, network report). */
  readonly post?: string;
  readonly target: {
    readonly type: 'edition' | 'report' | 'subscribers' | 'subscriber' | 'suppression';
    readonly id: string;
  };
  readonly detail?: Record<string, string | number | boolean>;
}

export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  /** A post's entries (or the network's when post is undefined), newest first. */
  list(post: string | undefined, page?: PageRequest): Promise<Page<AuditEntry>>;
}
