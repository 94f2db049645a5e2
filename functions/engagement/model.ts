/**
 * Engagement, the shared vocabulary: what an event is once read (from SES, from the
 * pixel, the click redirect or the web version), how a request is classified, and
 * which counters exist under which scope. Recording (record.ts) writes them; reports
 * (functions/reports/) only read these scopes, never raw events.
 */

/** Who made a request: a person, a machine (scanner, prefetch), or an image proxy. */
export type RequestClass = 'human' | 'machine' | 'proxy';

/** What the classifier says of one open or click request (docs/engagement.md). */
export interface Classification {
  readonly class: RequestClass;
  /** Short rule name that decided it (`apple-mpp`, `gmail-proxy`, `head-request`, ...). */
  readonly rule: string;
  /** Device family from the user agent: no user agent is ever stored. */
  readonly device: 'desktop' | 'mobile' | 'tablet' | 'webmail' | 'proxy' | 'bot' | 'unknown';
}

export type EngagementKind =
  | 'send'
  | 'delivery'
  | 'bounce'
  | 'complaint'
  | 'reject'
  | 'delay'
  | 'rendering-failure'
  | 'open'
  | 'click'
  | 'web-view'
  | 'subscription'
  | 'unknown';

/** One event, read from wherever it came from. Ids only: never an address in clear. */
export interface EngagementEvent {
  readonly kind: EngagementKind;
  /** Stable id: a redelivered event has the same id (SES: hash of the event; routes: drawn per request). */
  readonly id: string;
  /** ISO time the event happened (a proxy open: the fetch). */
  readonly at: string;
  readonly editionId?: string;
  readonly subscriberId?: string;
  readonly post?: string;
  readonly audience?: string;
  readonly language?: string;
  /** click: the index of the link in the variant (links[n]). */
  readonly link?: number;
  /** click: how many links the variant has (a scanner clicks them all). */
  readonly linkCount?: number;
  /** click: the central content item the link belongs to, when it does. */
  readonly item?: string;
  /** open / click / web-view: how the request was classified. */
  readonly classification?: Classification;
  /** bounce: Permanent / Transient / Undetermined, and SES's sub-type. */
  readonly bounceType?: string;
  readonly bounceSubType?: string;
  /** complaint: the feedback type (abuse, not-spam, ...). */
  readonly feedbackType?: string;
  /** bounce / complaint: the addresses concerned (used to suppress, never stored in events). */
  readonly emails?: readonly string[];
  /** unknown: the type SES named. */
  readonly sesType?: string;
  /** A test send's event: its effects apply (a hard bounce is a hard bounce), it counts in no figure. */
  readonly test?: boolean;
  /** send: SES's message id (ledger of accepted sends). */
  readonly messageId?: string;
}

/**
 * Counter scopes in the stats table (Counters port). Every engagement scope starts
 * with ENG# so it never mixes with the send progress (EDITION#<id>).
 */
export const scopes = {
  edition: (editionId: string) => `ENG#E#${editionId}`,
  variant: (editionId: string, audience: string, language: string) =>
    `ENG#V#${editionId}#${audience}#${language}`,
  /**
   * Hour-by-hour opens and clicks of an edition, counter names `<name>@<YYYY-MM-DDTHH>`:
   * in the edition's own scope, so a batch writes one item for both, not two.
   */
  editionHours: (editionId: string) => `ENG#E#${editionId}`,
  postMonth: (post: string, month: string) => `ENG#PM#${post}#${month}`,
  /** Audience kind (economic, cultural, ...) across the network, per month. */
  audienceMonth: (kind: string, month: string) => `ENG#AM#${kind}#${month}`,
  languageMonth: (language: string, month: string) => `ENG#GM#${language}#${month}`,
  networkMonth: (month: string) => `ENG#NM#${month}`,
  /**
   * A central content item's month, for the story reports: counter names may carry
   * `_<language>` or `_post_<code>`. (Its counters since the first send, `ENG#C#<id>`,
   * are no longer written: every report is over a period.)
   */
  itemMonth: (itemId: string, month: string) => `ENG#CM#${itemId}#${month}`,
} as const;

/**
 * Counter names. `u` = unique (once per recipient per edition); `_h` = human only
 * (machine opens and clicks excluded). Per link: `clicks_L<n>`, `uclicks_L<n>`.
 */
export const COUNTERS = [
  'sent',
  'delivered',
  'bounced_hard',
  'bounced_soft',
  'bounced_undetermined',
  'complained',
  'rejected',
  'delayed',
  'rendering_failed',
  'opens',
  'opens_h',
  'uopens',
  'uopens_h',
  'opens_machine',
  'opens_proxy',
  'clicks',
  'clicks_h',
  'uclicks',
  'uclicks_h',
  'clicks_machine',
  'subscription_events',
  'unsubscribes',
  'webviews',
  'unknown_events',
] as const;
export type CounterName = (typeof COUNTERS)[number];

export const linkCounter = (n: number, unique: boolean) => `${unique ? 'u' : ''}clicks_L${n}`;
export const hourCounter = (
  name: 'opens' | 'opens_h' | 'clicks' | 'clicks_h' | 'uopens' | 'uclicks',
  at: string,
) => `${name}@${at.slice(0, 13)}`;

/**
 * Report scopes and counters (issue 20, functions/reports/), written by the recording
 * side and the subscriber use cases. `networkPosts(month)` holds every post's monthly
 * figures in one scope, counter names `<name>_post_<code>` (see `postCounter`), so the
 * network report and the benchmarks read 12 scopes for a year, not 12 per post.
 * Whatever is added to `scopes.postMonth` is also added there under the post's name.
 * (Editions and crisis alerts need no counter: the reports read the edition lists.)
 */
export const reportScopes = {
  networkPosts: (month: string) => `ENG#NP#${month}`,
} as const;
export const postCounter = (name: string, post: string) => `${name}_post_${post}`;

/**
 * Every central item's month in one scope, for the stories' leaderboard (12 reads a
 * year, not 12 per item): counter names `<name>_item_<id>` for ITEM_MONTH_COUNTERS.
 */
export const itemsMonth = (month: string) => `ENG#IM#${month}`;
export const itemCounter = (name: string, item: string) => `${name}_item_${item}`;
export const ITEM_MONTH_COUNTERS: ReadonlySet<string> = new Set(['sent', 'clicks', 'clicks_h', 'uclicks']);

/**
 * List growth, per post and month (`scopes.postMonth` and `reportScopes.networkPosts`):
 * a sign-up (pending), a confirmation, an unsubscribe of a confirmed subscription, an
 * address with subscriptions at the post suppressed (bounce, complaint, manual).
 */
export const LIST_COUNTERS = ['list_new', 'list_confirmed', 'list_unsubscribed', 'list_cleaned'] as const;

/**
 * A central item's reach (`scopes.itemMonth`), for the story reports: `sent`, `sent_<language>`
 * and `sent_post_<code>`, +1 per message sent whose variant shows the item (the edition
 * summary's `variantItems` names them). Without them the reports sum the sends of every
 * variant that showed it, one read per variant.
 */
export const ITEM_REACH_COUNTERS = ['sent'] as const;
