import { HQ_POST, type Post } from '../core/model';
import type { EditionSummary } from '../editions/model';
import { reportScopes, scopes } from '../engagement/model';
import {
  type Counts,
  type Engagement,
  engagement,
  type Figures,
  figures,
  type ListSizeBand,
  listSizeBand,
  median,
  percentile,
  sumCounts,
} from './metrics';
import type { ReportDeps } from './ports';
import { engagementWindow, type Period, quarters } from './report';
import { sentEditions } from './sent-editions';

/** The figures compared across posts (docs/metrics.md "Network benchmarking"). */
export const BENCHMARK_FIGURES = [
  { key: 'openRateHuman', label: 'Open rate (human)' },
  { key: 'openRate', label: 'Open rate (all)' },
  { key: 'clickThroughRateHuman', label: 'CTR (human)' },
  { key: 'clickToOpenRateHuman', label: 'CTOR (human)' },
  { key: 'engagementRate', label: 'Engagement rate' },
  { key: 'unsubscribeRate', label: 'Unsubscribe rate' },
  { key: 'hardBounceRate', label: 'Hard bounce rate' },
] as const;
export type BenchmarkFigure = (typeof BENCHMARK_FIGURES)[number]['key'];

export interface PostFigures {
  readonly post: Post;
  readonly counts: Counts;
  readonly figures: Figures;
  readonly engagement: Engagement;
  readonly editions: number;
  /** Average recipients per edition in the period. */
  readonly listSize: number;
  readonly band: ListSizeBand;
  /** Same region, main language and list-size band. */
  readonly peerKey: string;
  readonly quarterChange: number | null;
}

export interface Benchmark {
  readonly figure: BenchmarkFigure;
  readonly value: number | null;
  readonly networkMedian: number | null;
  readonly peerMedian: number | null;
  /** Posts in the peer group with a value (the post included). */
  readonly peers: number;
  /** The post's percentile rank in the network (0-100). */
  readonly percentile: number | null;
}

export interface NetworkData {
  readonly posts: readonly PostFigures[];
  /** Every post's counts of one month, for months of the period. */
  readonly byMonth: ReadonlyMap<string, ReadonlyMap<string, Counts>>;
  readonly hq: Counts;
  readonly quarter: string;
  /** Each post's editions sent in the period (HQ's included), from the posts' edition lists. */
  readonly sent: ReadonlyMap<string, readonly EditionSummary[]>;
}

const SEP = '_post_';

/** Splits a networkPosts scope's counters into one record per post. */
export function splitByPost(counts: Counts): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const [key, value] of Object.entries(counts)) {
    const at = key.lastIndexOf(SEP);
    if (at <= 0) continue;
    const post = key.slice(at + SEP.length);
    const name = key.slice(0, at);
    const rec = out.get(post) ?? {};
    rec[name] = (rec[name] ?? 0) + value;
    out.set(post, rec);
  }
  return out;
}

const figureOf = (p: PostFigures, figure: BenchmarkFigure): number | null =>
  figure === 'engagementRate' ? p.engagement.engagementRate : p.figures[figure];

/**
 * Every post's figures over the period, from one networkPosts scope per month (the
 * period, the engagement window and the last two quarters): a year costs at most 18
 * reads, whatever the number of posts.
 */
export async function networkData(deps: ReportDeps, period: Period): Promise<NetworkData> {
  const window = engagementWindow(period);
  const q = quarters(period);
  const months = [...new Set([...period.months, ...window, ...q.current, ...q.previous])];
  const posts = await deps.posts.list();
  const [lists, read] = await Promise.all([
    Promise.all(posts.map((p) => sentEditions(deps, p.code, period))),
    Promise.all(months.map((m) => deps.counters.read(reportScopes.networkPosts(m)))),
  ]);
  const sent = new Map(posts.map((p, i) => [p.code, lists[i] ?? []]));
  let byMonth = new Map(months.map((m, i) => [m, splitByPost(read[i]?.counts ?? {})]));
  if (![...byMonth.values()].some((m) => [...m.values()].some((c) => (c.sent ?? 0) > 0))) {
    // No send in the network's per-post scopes (a recorder that does not write them yet):
    // every post's own months instead, one read each (slower, same figures).
    const own = await Promise.all(
      months.map((m) => Promise.all(posts.map((p) => deps.counters.read(scopes.postMonth(p.code, m))))),
    );
    byMonth = new Map(
      months.map((m, i) => [m, new Map(posts.map((p, j) => [p.code, { ...(own[i]?.[j]?.counts ?? {}) }]))]),
    );
  }
  const over = (code: string, list: readonly string[]) =>
    sumCounts(list.map((m) => byMonth.get(m)?.get(code) ?? {}));
  const result: PostFigures[] = [];
  for (const post of posts) {
    if (post.code === HQ_POST) continue;
    const counts = over(post.code, period.months);
    // Newsletters, from the post's edition list: crisis alerts are counted apart.
    const editions = (sent.get(post.code) ?? []).filter((e) => e.priority !== 'crisis').length;
    // The people it reached in the engagement window (each once, however many editions);
    // recipients per edition where the recorder did not count people yet.
    const eng = engagement(window.map((m) => over(post.code, [m])));
    const people = eng.sentTo;
    const listSize = people > 0 ? people : editions > 0 ? Math.round((counts.sent ?? 0) / editions) : 0;
    const band = listSizeBand(listSize);
    // A quarter's engagement rate: the window of its three months.
    const current = engagement(q.current.map((m) => over(post.code, [m]))).engagementRate;
    const previous = engagement(q.previous.map((m) => over(post.code, [m]))).engagementRate;
    result.push({
      post,
      counts,
      figures: figures(counts),
      engagement: eng,
      editions,
      listSize,
      band,
      peerKey: `${post.continent}/${post.defaultLanguage}/${band}`,
      quarterChange: current !== null && previous !== null ? current - previous : null,
    });
  }
  return {
    posts: result,
    byMonth: new Map(period.months.map((m) => [m, byMonth.get(m) ?? new Map()])),
    hq: over(HQ_POST, period.months),
    quarter: q.label,
    sent,
  };
}

/** One benchmark as a table row: the figure's label, the percentile to one decimal. */
export const benchmarkRow = (b: Benchmark) => ({
  figure: BENCHMARK_FIGURES.find((f) => f.key === b.figure)?.label ?? b.figure,
  value: b.value,
  networkMedian: b.networkMedian,
  peerMedian: b.peerMedian,
  peers: b.peers,
  percentile: b.percentile === null ? null : Math.round(b.percentile * 10) / 10,
});

/**
 * The fewest posts with a value for a median or a percentile to be shown to a post. With
 * two, the median is their mean and the post's own value gives the other's away (its
 * peer group is named beside it); with five, no one post's figure can be worked out.
 */
export const MIN_BENCHMARK_GROUP = 5;

/**
 * A post's figures beside the network median, its peer group's median, and its percentile.
 * A group of fewer than `minGroup` posts with a value shows none (null): the post report and
 * the digest go to one post; the network report, read by network-wide roles who see every
 * post's figures anyway, passes 1.
 */
export function benchmarkOf(data: NetworkData, code: string, minGroup = MIN_BENCHMARK_GROUP): Benchmark[] {
  const medianOf = (values: number[]) => (values.length >= minGroup ? median(values) : null);
  const me = data.posts.find((p) => p.post.code === code);
  return BENCHMARK_FIGURES.map(({ key }) => {
    const value = me ? figureOf(me, key) : null;
    const network = data.posts.map((p) => figureOf(p, key)).filter((v): v is number => v !== null);
    const peers = me
      ? data.posts
          .filter((p) => p.peerKey === me.peerKey)
          .map((p) => figureOf(p, key))
          .filter((v): v is number => v !== null)
      : [];
    return {
      figure: key,
      value,
      networkMedian: medianOf(network),
      peerMedian: medianOf(peers),
      peers: peers.length,
      percentile: value === null || network.length < minGroup ? null : percentile(value, network),
    };
  });
}

/** Posts whose engagement rate rose most from the previous quarter to this one (points). */
export const mostImproved = (data: NetworkData, top = 10): PostFigures[] =>
  data.posts
    .filter((p) => p.quarterChange !== null)
    .sort((a, b) => (b.quarterChange ?? 0) - (a.quarterChange ?? 0) || a.post.code.localeCompare(b.post.code))
    .slice(0, top);
