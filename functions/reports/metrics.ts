/**
 * Every figure of the usage reports, computed in one place from engagement counters
 * (functions/engagement/model.ts). Each is defined once in docs/metrics.md, with
 * whose definition it follows. Rates are fractions (0.25 = 25 %), or null when their
 * denominator is zero (a rate of nothing is not 0 %).
 */
import { peopleInWindow } from '../engagement/activity';

/** Summed counters of a scope, or of several (monthly scopes over a period). */
export type Counts = Readonly<Record<string, number>>;

const n = (counts: Counts, name: string): number => counts[name] ?? 0;

/** part / whole, or null when whole is 0. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Sums counter records (monthly scopes of a period, the posts of a group). */
export function sumCounts(all: readonly Counts[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of all) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export interface Figures {
  /** Messages SES accepted (Mailchimp "emails sent"). */
  readonly recipients: number;
  readonly delivered: number;
  readonly deliveryRate: number | null;
  readonly hardBounces: number;
  readonly softBounces: number;
  /** SES: permanent bounces / sent. */
  readonly hardBounceRate: number | null;
  readonly softBounceRate: number | null;
  readonly complaints: number;
  /** SES: complaints / sent. */
  readonly complaintRate: number | null;
  /** Gmail's spam rate: complaints / delivered. */
  readonly spamRate: number | null;
  /** Unique opens, every request (machine and proxy opens included). */
  readonly uniqueOpens: number;
  /** Unique opens by people only (machine opens excluded). */
  readonly uniqueOpensHuman: number;
  /** Mailchimp: unique opens / delivered. */
  readonly openRate: number | null;
  readonly openRateHuman: number | null;
  readonly uniqueClicks: number;
  readonly uniqueClicksHuman: number;
  /** Mailchimp click rate: unique clicks / delivered. */
  readonly clickThroughRate: number | null;
  readonly clickThroughRateHuman: number | null;
  /** Unique clicks / unique opens. */
  readonly clickToOpenRate: number | null;
  readonly clickToOpenRateHuman: number | null;
  readonly unsubscribes: number;
  /** Mailchimp: unsubscribes / delivered. */
  readonly unsubscribeRate: number | null;
}

export function figures(counts: Counts): Figures {
  const sent = n(counts, 'sent');
  const delivered = n(counts, 'delivered');
  const complaints = n(counts, 'complained');
  const uo = n(counts, 'uopens');
  const uoh = n(counts, 'uopens_h');
  const uc = n(counts, 'uclicks');
  const uch = n(counts, 'uclicks_h');
  return {
    recipients: sent,
    delivered,
    deliveryRate: rate(delivered, sent),
    hardBounces: n(counts, 'bounced_hard'),
    softBounces: n(counts, 'bounced_soft'),
    hardBounceRate: rate(n(counts, 'bounced_hard'), sent),
    softBounceRate: rate(n(counts, 'bounced_soft'), sent),
    complaints,
    complaintRate: rate(complaints, sent),
    spamRate: rate(complaints, delivered),
    uniqueOpens: uo,
    uniqueOpensHuman: uoh,
    openRate: rate(uo, delivered),
    openRateHuman: rate(uoh, delivered),
    uniqueClicks: uc,
    uniqueClicksHuman: uch,
    clickThroughRate: rate(uc, delivered),
    clickThroughRateHuman: rate(uch, delivered),
    clickToOpenRate: rate(uc, uo),
    clickToOpenRateHuman: rate(uch, uoh),
    unsubscribes: n(counts, 'unsubscribes'),
    unsubscribeRate: rate(n(counts, 'unsubscribes'), delivered),
  };
}

export interface Engagement {
  /** Unique people who opened or clicked in the window (`people_engaged`; by a person: `people_engaged_h`). */
  readonly engaged: number;
  readonly engagedHuman: number;
  /** Unique people sent to in the window (`people_sent`). */
  readonly sentTo: number;
  /** GovDelivery/Granicus: engaged in the last 90 days / sent to in those 90 days. */
  readonly engagementRate: number | null;
  readonly engagementRateHuman: number | null;
}

/**
 * The engagement rate over three calendar months, from one scope's counts of those
 * months, oldest first: the recorder counts each person once per window
 * (engagement/activity.ts, `peopleInWindow`), never once per edition.
 */
export function engagement(window: readonly Counts[]): Engagement {
  const people = peopleInWindow(window);
  const sentTo = n(people, 'people_sent');
  const engaged = n(people, 'people_engaged');
  const engagedHuman = n(people, 'people_engaged_h');
  return {
    engaged,
    engagedHuman,
    sentTo,
    engagementRate: rate(engaged, sentTo),
    engagementRateHuman: rate(engagedHuman, sentTo),
  };
}

export interface ListGrowth {
  readonly new: number;
  readonly confirmed: number;
  readonly unsubscribed: number;
  readonly cleaned: number;
  /** Confirmed minus unsubscribed minus cleaned: people who now receive it, net. */
  readonly net: number;
}

export function listGrowth(counts: Counts): ListGrowth {
  const confirmed = n(counts, 'list_confirmed');
  const unsubscribed = n(counts, 'list_unsubscribed');
  const cleaned = n(counts, 'list_cleaned');
  return {
    new: n(counts, 'list_new'),
    confirmed,
    unsubscribed,
    cleaned,
    net: confirmed - unsubscribed - cleaned,
  };
}

/** Thresholds past which a sender's mail is at risk (docs/metrics.md). */
export const THRESHOLDS = {
  /** Amazon SES puts an account under review at a 5 % bounce rate. */
  hardBounceRate: 0.05,
  /** Amazon SES review at a 0.1 % complaint rate. */
  complaintRate: 0.001,
  /** Gmail and Yahoo's bulk-sender rule: spam rate under 0.3 %. */
  spamRate: 0.003,
} as const;

export interface Warning {
  readonly figure: keyof typeof THRESHOLDS;
  readonly value: number;
  readonly threshold: number;
  /** Whose line it is (Amazon SES, Gmail). */
  readonly who: string;
  readonly message: string;
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

/** The deliverability warnings of a set of figures: every threshold reached or crossed. */
export function warnings(f: Figures): Warning[] {
  const out: Warning[] = [];
  const check = (figure: keyof typeof THRESHOLDS, value: number | null, who: string) => {
    const threshold = THRESHOLDS[figure];
    if (value !== null && value >= threshold)
      out.push({
        figure,
        value,
        threshold,
        who,
        message: `${figure} ${pct(value)} reaches ${who}'s line of ${pct(threshold)}`,
      });
  };
  check('hardBounceRate', f.hardBounceRate, 'Amazon SES');
  check('complaintRate', f.complaintRate, 'Amazon SES');
  check('spamRate', f.spamRate, 'Gmail');
  return out;
}

/** The median of some values (mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Percentile rank of `value` among `values` (which include it): the share of values
 * below it plus half of those equal to it, in 0..100 (the "mean rank" definition, so
 * a post equal to all its peers is at 50, not at 100).
 */
export function percentile(value: number, values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const below = values.filter((v) => v < value).length;
  const equal = values.filter((v) => v === value).length;
  return ((below + equal / 2) / values.length) * 100;
}

/** List-size bands for peer groups (docs/metrics.md). */
export const LIST_SIZE_BANDS = [
  { band: 'small', below: 1_000 },
  { band: 'medium', below: 10_000 },
  { band: 'large', below: Number.POSITIVE_INFINITY },
] as const;
export type ListSizeBand = (typeof LIST_SIZE_BANDS)[number]['band'];

export const listSizeBand = (size: number): ListSizeBand =>
  (LIST_SIZE_BANDS.find((b) => size < b.below) ?? LIST_SIZE_BANDS[2]).band;
