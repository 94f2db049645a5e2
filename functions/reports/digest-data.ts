import { HQ_POST, type Post } from '../core/model';
import { scopes } from '../engagement/model';
import { benchmarkOf, type NetworkData } from './benchmark';
import {
  type Counts,
  engagement,
  type Figures,
  figures,
  type ListGrowth,
  listGrowth,
  type THRESHOLDS,
  warnings,
} from './metrics';
import { monthlyTrend } from './network';
import type { ReportDeps } from './ports';
import { addMonths, periodOf } from './report';
import { sentEditions } from './sent-editions';

/**
 * What a monthly digest says, before it is put in words: the month's figures, its
 * editions, the last six months, the deliverability warnings. The same figures as the
 * post and network reports (metrics.ts over the same counters); the words come later,
 * in the reader's language (digest-mail.ts).
 */
export interface TrendPoint {
  readonly month: string;
  readonly editions: number | null;
  readonly recipients: number;
  readonly openRateHuman: number | null;
  readonly clickThroughRateHuman: number | null;
}

export interface EditionPoint {
  readonly id: string;
  readonly title: string;
  readonly recipients: number;
  readonly openRateHuman: number | null;
  readonly clickThroughRateHuman: number | null;
}

/** A figure that reached its deliverability line, and what it is about. */
export interface DigestWarning {
  readonly about:
    | { readonly kind: 'self' }
    | { readonly kind: 'edition'; readonly title: string }
    | { readonly kind: 'post'; readonly post: Post };
  readonly figure: keyof typeof THRESHOLDS;
  readonly value: number;
  readonly threshold: number;
}

interface DigestCommon {
  readonly month: string;
  readonly totals: Figures;
  /** The six months ending with `month`, oldest first. */
  readonly trend: readonly TrendPoint[];
  readonly warnings: readonly DigestWarning[];
}

export interface PostDigest extends DigestCommon {
  readonly kind: 'post';
  readonly post: Post;
  readonly editions: readonly EditionPoint[];
  readonly engagementRateHuman: number | null;
  readonly growth: ListGrowth;
  /** The network's medians of the month (posts that sent), beside the post's own. */
  readonly medians: { readonly openRateHuman: number | null; readonly clickThroughRateHuman: number | null };
}

export interface NetworkDigest extends DigestCommon {
  readonly kind: 'network';
  readonly hq: Post;
  readonly posts: number;
  readonly sending: number;
  readonly hqBroadcasts: number;
  readonly crisisAlerts: number;
  /** Posts with mail delivered, best human open rate first. */
  readonly ranked: readonly {
    readonly post: Post;
    readonly openRateHuman: number | null;
    readonly clickThroughRateHuman: number | null;
  }[];
}

export type DigestData = PostDigest | NetworkDigest;

export const TREND_MONTHS = 6;

const trendPoints = (trend: ReturnType<typeof monthlyTrend>): TrendPoint[] =>
  trend.table.rows.map((r) => ({
    month: String(r.month),
    editions: typeof r.editions === 'number' ? r.editions : null,
    recipients: Number(r.recipients ?? 0),
    openRateHuman: (r.openRateHuman as number | null) ?? null,
    clickThroughRateHuman: (r.clickThroughRateHuman as number | null) ?? null,
  }));

const sixMonths = (month: string) =>
  Array.from({ length: TREND_MONTHS }, (_, i) => addMonths(month, i - TREND_MONTHS + 1));

const warningsOf = (about: DigestWarning['about'], f: Figures): DigestWarning[] =>
  warnings(f).map((w) => ({ about, figure: w.figure, value: w.value, threshold: w.threshold }));

/**
 * A post's digest of `month`. `network` is the network's data of that month (read once
 * for every post): the medians beside the post's own figures.
 */
export async function postDigest(
  deps: ReportDeps,
  post: Post,
  month: string,
  network: NetworkData,
): Promise<PostDigest> {
  const now = deps.clock.now();
  const months = sixMonths(month);
  const [editions, ...read] = await Promise.all([
    sentEditions(deps, post.code, periodOf(months[0] as string, month, now)),
    ...months.map((m) => deps.counters.read(scopes.postMonth(post.code, m))),
  ]);
  const byMonth = new Map<string, Counts>(months.map((m, i) => [m, read[i]?.counts ?? {}]));
  const own = byMonth.get(month) ?? {};
  const totals = figures(own);
  const newsletters = editions.filter((e) => e.priority !== 'crisis');
  const inMonth = newsletters.filter((e) => e.scheduledAt?.startsWith(month));
  const editionFigures = await Promise.all(
    inMonth.map(async (e) => figures((await deps.counters.read(scopes.edition(e.id))).counts)),
  );
  const median = (key: 'openRateHuman' | 'clickThroughRateHuman') =>
    benchmarkOf(network, post.code).find((b) => b.figure === key)?.networkMedian ?? null;
  return {
    kind: 'post',
    post,
    month,
    totals,
    trend: trendPoints(
      monthlyTrend(
        months,
        months.map((m) => byMonth.get(m) ?? {}),
        newsletters,
      ),
    ),
    editions: inMonth.map((e, i) => {
      const f = editionFigures[i] as Figures;
      return {
        id: e.id,
        title: e.title,
        recipients: f.recipients,
        openRateHuman: f.openRateHuman,
        clickThroughRateHuman: f.clickThroughRateHuman,
      };
    }),
    warnings: [
      ...warningsOf({ kind: 'self' }, totals),
      ...inMonth.flatMap((e, i) =>
        warningsOf({ kind: 'edition', title: e.title }, editionFigures[i] as Figures),
      ),
    ],
    // The three months ending with this one (the six read hold them).
    engagementRateHuman: engagement(months.slice(-3).map((m) => byMonth.get(m) ?? {})).engagementRateHuman,
    growth: listGrowth(own),
    medians: {
      openRateHuman: median('openRateHuman'),
      clickThroughRateHuman: median('clickThroughRateHuman'),
    },
  };
}

/** HQ's digest of `month`: the network's totals, adoption, posts ranked, posts over a line. */
export async function networkDigest(
  deps: ReportDeps,
  hq: Post,
  month: string,
  network: NetworkData,
): Promise<NetworkDigest> {
  const months = sixMonths(month);
  const read = await Promise.all(months.map((m) => deps.counters.read(scopes.networkMonth(m))));
  const monthly = read.map((r) => r.counts);
  const totals = figures(monthly[monthly.length - 1] ?? {});
  const sentThisMonth = [...network.sent.values()].flat();
  // Ranked: every post with a human open rate (mail delivered), as the network report's chart.
  const ranked = network.posts
    .filter((p) => p.figures.openRateHuman !== null)
    .sort(
      (a, b) =>
        (b.figures.openRateHuman ?? -1) - (a.figures.openRateHuman ?? -1) ||
        a.post.code.localeCompare(b.post.code),
    );
  return {
    kind: 'network',
    hq,
    month,
    totals,
    // Newsletters per month are known for this month only (one edition list per post read).
    trend: trendPoints(monthlyTrend(months, monthly)),
    warnings: [
      ...warningsOf({ kind: 'self' }, totals),
      ...network.posts.flatMap((p) => warningsOf({ kind: 'post', post: p.post }, p.figures)),
    ],
    posts: network.posts.length,
    sending: network.posts.filter((p) => p.editions > 0).length,
    hqBroadcasts: (network.sent.get(HQ_POST) ?? []).filter((e) => e.priority !== 'crisis').length,
    crisisAlerts: sentThisMonth.filter((e) => e.priority === 'crisis').length,
    ranked: ranked.map((p) => ({
      post: p.post,
      openRateHuman: p.figures.openRateHuman,
      clickThroughRateHuman: p.figures.clickThroughRateHuman,
    })),
  };
}
