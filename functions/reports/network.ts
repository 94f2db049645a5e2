import { HQ_POST } from '../core/model';
import type { EditionSummary } from '../editions/model';
import { scopes } from '../engagement/model';
import { benchmarkOf, benchmarkRow, mostImproved, networkData } from './benchmark';
import { engagement, figures, median, rate, sumCounts, warnings } from './metrics';
import type { ReportDeps } from './ports';
import {
  type Chart,
  engagementNote,
  engagementRemark,
  engagementRows,
  engagementWindow,
  type Period,
  type Report,
  summaryTable,
  type Table,
  warningLines,
  warningRemarks,
} from './report';

/** Monthly trend rows and chart from one scope per month (network, audience kind, language, post). */
export function monthlyTrend(
  months: readonly string[],
  counts: readonly Readonly<Record<string, number>>[],
  /** Editions sent per month, when the report knows them (a post, the network). */
  editions?: readonly EditionSummary[],
): { table: Table; chart: Chart } {
  const perMonth = new Map<string, number>();
  for (const e of editions ?? []) {
    const m = e.scheduledAt?.slice(0, 7) ?? '';
    perMonth.set(m, (perMonth.get(m) ?? 0) + 1);
  }
  const rows = months.map((month, i) => {
    const c = counts[i] ?? {};
    const f = figures(c);
    return {
      month,
      editions: editions ? (perMonth.get(month) ?? 0) : null,
      recipients: f.recipients,
      openRateHuman: f.openRateHuman,
      openRate: f.openRate,
      clickThroughRateHuman: f.clickThroughRateHuman,
      clickThroughRate: f.clickThroughRate,
      unsubscribeRate: f.unsubscribeRate,
      hardBounceRate: f.hardBounceRate,
      complaintRate: f.complaintRate,
    };
  });
  return {
    table: {
      name: 'months',
      title: 'Monthly trend',
      columns: [
        { key: 'month', label: 'Month', kind: 'text' },
        { key: 'editions', label: 'Editions', kind: 'int' },
        { key: 'recipients', label: 'Recipients', kind: 'int' },
        { key: 'openRateHuman', label: 'Open rate (human)', kind: 'rate' },
        { key: 'openRate', label: 'Open rate (all)', kind: 'rate' },
        { key: 'clickThroughRateHuman', label: 'CTR (human)', kind: 'rate' },
        { key: 'clickThroughRate', label: 'CTR (all)', kind: 'rate' },
        { key: 'unsubscribeRate', label: 'Unsubscribe rate', kind: 'rate' },
        { key: 'hardBounceRate', label: 'Hard bounce rate', kind: 'rate' },
        { key: 'complaintRate', label: 'Complaint rate', kind: 'rate' },
      ],
      rows,
    },
    chart: {
      id: 'months',
      title: 'Monthly trend',
      type: 'line',
      percent: true,
      labels: months,
      series: [
        { label: 'Open rate (human)', data: rows.map((r) => r.openRateHuman) },
        { label: 'Open rate (all)', data: rows.map((r) => r.openRate) },
        { label: 'CTR (human)', data: rows.map((r) => r.clickThroughRateHuman) },
      ],
    },
  };
}

interface CrisisAlert {
  readonly [key: string]: string | number | null;
  readonly post: string;
  readonly edition: string;
  readonly title: string;
  readonly sentAt: string;
  readonly recipients: number;
  readonly seconds: number | null;
}

/**
 * The period's crisis alerts (an alert is one edition per post, marked in its summary)
 * and each one's delivery time: from the alert to the last change of its send counters
 * (`EDITION#<id>`, the send progress: its last message settled).
 */
async function crisisAlerts(deps: ReportDeps, sent: readonly EditionSummary[]): Promise<CrisisAlert[]> {
  const alerts = sent.filter((e) => e.priority === 'crisis');
  const progress = await Promise.all(alerts.map((e) => deps.counters.read(`EDITION#${e.id}`)));
  return alerts.map((e, i) => {
    const p = progress[i];
    const start = Date.parse(e.scheduledAt ?? '');
    const end = p?.lastChangeAt ? Date.parse(p.lastChangeAt) : Number.NaN;
    return {
      post: e.post,
      edition: e.id,
      title: e.title,
      sentAt: e.scheduledAt ?? '',
      recipients: p?.counts.sent ?? 0,
      seconds: Number.isFinite(end - start) ? Math.max(0, (end - start) / 1000) : null,
    };
  });
}

interface Broadcast {
  readonly [key: string]: string | number | null;
  readonly edition: string;
  readonly title: string;
  readonly sentAt: string;
  readonly recipients: number;
  /** Everyone with a confirmed subscription when it was dispatched (null: not recorded by this send). */
  readonly subscribers: number | null;
  readonly reach: number | null;
}

/**
 * The period's HQ broadcasts and their reach, from each one's send counters: the
 * people queued (sent, skipped, failed) plus those who asked for no HQ broadcast
 * (`declined`) are everyone subscribed to a post, each once.
 */
async function hqBroadcasts(deps: ReportDeps, sent: readonly EditionSummary[]): Promise<Broadcast[]> {
  const list = sent.filter((e) => e.priority !== 'crisis');
  const progress = await Promise.all(list.map((e) => deps.counters.read(`EDITION#${e.id}`)));
  return list.map((e, i) => {
    const c = progress[i]?.counts ?? {};
    const recipients = c.sent ?? 0;
    const subscribers = recipients + (c.skipped ?? 0) + (c.failed ?? 0) + (c.declined ?? 0);
    return {
      edition: e.id,
      title: e.title,
      sentAt: e.scheduledAt ?? '',
      recipients,
      subscribers: subscribers || null,
      reach: rate(recipients, subscribers),
    };
  });
}

/**
 * The whole network over a period: totals and monthly trend, posts ranked with their
 * benchmarks, adoption, HQ broadcasts' reach, crisis alerts, most improved posts, and
 * the posts over a deliverability line.
 */
export async function networkReport(deps: ReportDeps, period: Period): Promise<Report> {
  const window = engagementWindow(period);
  const months = [...new Set([...window, ...period.months])];
  const [data, read] = await Promise.all([
    networkData(deps, period),
    Promise.all(months.map(async (m) => (await deps.counters.read(scopes.networkMonth(m))).counts)),
  ]);
  const byMonth = new Map(months.map((m, i) => [m, read[i] ?? {}]));
  const monthly = period.months.map((m) => byMonth.get(m) ?? {});
  const everyEdition = [...data.sent.values()].flat();
  const alerts = await crisisAlerts(deps, everyEdition);
  const total = sumCounts(monthly);
  const all = figures(total);
  const trend = monthlyTrend(
    period.months,
    monthly,
    everyEdition.filter((e) => e.priority !== 'crisis'),
  );
  const sending = data.posts.filter((p) => p.editions > 0);
  const delivered = alerts.map((a) => a.seconds).filter((v): v is number => v !== null);
  const broadcasts = await hqBroadcasts(deps, data.sent.get(HQ_POST) ?? []);
  const reached = sumCounts(broadcasts.map((b) => ({ r: b.recipients, s: b.subscribers ?? 0 })));
  // The network's own scope counts a person once, whichever posts they read.
  const windowEngagement = engagement(window.map((m) => byMonth.get(m) ?? {}));

  const ranked = [...data.posts].sort(
    (a, b) =>
      (b.engagement.engagementRate ?? -1) - (a.engagement.engagementRate ?? -1) ||
      a.post.code.localeCompare(b.post.code),
  );
  const engagementValues = data.posts
    .map((p) => p.engagement.engagementRate)
    .filter((v): v is number => v !== null);
  const postsTable: Table = {
    name: 'posts',
    title: 'Posts ranked by engagement rate',
    columns: [
      { key: 'rank', label: 'Rank', kind: 'int' },
      { key: 'post', label: 'Post', kind: 'text' },
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'region', label: 'Region', kind: 'text' },
      { key: 'language', label: 'Main language', kind: 'text' },
      { key: 'band', label: 'List size band', kind: 'text' },
      { key: 'listSize', label: 'List size', kind: 'int' },
      { key: 'editions', label: 'Editions', kind: 'int' },
      { key: 'recipients', label: 'Recipients', kind: 'int' },
      { key: 'openRateHuman', label: 'Open rate (human)', kind: 'rate' },
      { key: 'openRate', label: 'Open rate (all)', kind: 'rate' },
      { key: 'clickThroughRateHuman', label: 'CTR (human)', kind: 'rate' },
      { key: 'engagementRate', label: 'Engagement rate', kind: 'rate' },
      { key: 'engagementMedianGap', label: 'vs network median', kind: 'rate' },
    ],
    rows: ranked.map((p, i) => ({
      rank: i + 1,
      post: p.post.code,
      name: p.post.name,
      region: p.post.continent,
      language: p.post.defaultLanguage,
      band: p.band,
      listSize: p.listSize,
      editions: p.editions,
      recipients: p.figures.recipients,
      openRateHuman: p.figures.openRateHuman,
      openRate: p.figures.openRate,
      clickThroughRateHuman: p.figures.clickThroughRateHuman,
      engagementRate: p.engagement.engagementRate,
      engagementMedianGap:
        p.engagement.engagementRate === null
          ? null
          : p.engagement.engagementRate - (median(engagementValues) ?? 0),
    })),
  };

  const benchTable: Table = {
    name: 'benchmarks',
    title: 'Each post beside the network and its peers (same region, main language, list-size band)',
    columns: [
      { key: 'post', label: 'Post', kind: 'text' },
      { key: 'figure', label: 'Figure', kind: 'text' },
      { key: 'value', label: 'Value', kind: 'rate' },
      { key: 'networkMedian', label: 'Network median', kind: 'rate' },
      { key: 'peerMedian', label: 'Peer median', kind: 'rate' },
      { key: 'peers', label: 'Peers', kind: 'int' },
      { key: 'percentile', label: 'Percentile', kind: 'number' },
    ],
    rows: data.posts.flatMap((p) =>
      benchmarkOf(data, p.post.code, 1).map((b) => ({ post: p.post.code, ...benchmarkRow(b) })),
    ),
  };

  const improvedTable: Table = {
    name: 'most-improved',
    title: `Most improved engagement rate, ${data.quarter} against the quarter before`,
    columns: [
      { key: 'post', label: 'Post', kind: 'text' },
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'change', label: 'Change (points)', kind: 'rate' },
    ],
    rows: mostImproved(data).map((p) => ({ post: p.post.code, name: p.post.name, change: p.quarterChange })),
    params: { quarter: data.quarter },
  };

  const flagged = data.posts.flatMap((p) =>
    warnings(p.figures).map((w) => ({
      post: p.post.code,
      name: p.post.name,
      figure: w.figure,
      value: w.value,
      threshold: w.threshold,
    })),
  );
  const deliverability: Table = {
    name: 'deliverability',
    title:
      'Posts over a deliverability line (SES review: bounces 5 %, complaints 0.1 %; Gmail spam rate 0.3 %)',
    columns: [
      { key: 'post', label: 'Post', kind: 'text' },
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'figure', label: 'Figure', kind: 'text' },
      { key: 'value', label: 'Value', kind: 'rate' },
      { key: 'threshold', label: 'Line', kind: 'rate' },
    ],
    rows: flagged,
  };

  const bySorted = [...data.posts]
    .filter((p) => p.figures.openRateHuman !== null)
    .sort((a, b) => (b.figures.openRateHuman ?? 0) - (a.figures.openRateHuman ?? 0));
  const openMedian = median(bySorted.map((p) => p.figures.openRateHuman as number));
  const compare: Chart = {
    id: 'posts',
    title: 'Open rate (human) of each post, and the network median',
    type: 'bar',
    percent: true,
    labels: bySorted.map((p) => p.post.code),
    series: [
      { label: 'Open rate (human)', data: bySorted.map((p) => p.figures.openRateHuman) },
      { label: 'Network median', data: bySorted.map(() => openMedian) },
    ],
  };

  return {
    kind: 'network',
    subject: 'network',
    title: 'The network',
    period,
    generatedAt: deps.clock.now().toISOString(),
    warnings: [
      ...warningLines('network', all),
      ...flagged.map(
        (f) =>
          `${f.post}: ${f.figure} ${(f.value * 100).toFixed(2)} % reaches the line of ${(f.threshold * 100).toFixed(2)} %`,
      ),
    ],
    notes: [
      `${engagementNote(period)} A person who reads several posts counts once in the network's rate.`,
      'HQ reach: people an HQ broadcast was sent to / people subscribed to any post when it went out (each person once; those who asked for no HQ broadcast count as not reached).',
    ],
    remarks: {
      title: { id: 'network' },
      warnings: [
        ...warningRemarks('line.network', all),
        ...flagged.map((f) => ({
          id: 'line.post',
          values: { post: f.post, figure: f.figure, value: f.value, threshold: f.threshold },
        })),
      ],
      notes: [engagementRemark(period, 'engagement.network'), { id: 'hq-reach' }],
    },
    tables: [
      summaryTable('summary', 'Network totals', all, [
        ['Posts', data.posts.length, 'int'],
        ['Posts that sent at least one edition', sending.length, 'int'],
        ['Adoption', rate(sending.length, data.posts.length), 'rate'],
        ...engagementRows(windowEngagement),
        ['HQ broadcasts', broadcasts.length, 'int'],
        [
          'HQ reach (people reached / people subscribed anywhere)',
          rate(reached.r ?? 0, reached.s ?? 0),
          'rate',
        ],
        ['Crisis alerts', alerts.length, 'int'],
        [
          'Crisis mean delivery time',
          delivered.length ? delivered.reduce((s, v) => s + v, 0) / delivered.length : null,
          'seconds',
        ],
        ['Crisis longest delivery time', delivered.length ? Math.max(...delivered) : null, 'seconds'],
      ]),
      trend.table,
      postsTable,
      benchTable,
      improvedTable,
      deliverability,
      {
        name: 'hq-broadcasts',
        title: 'HQ broadcasts: people reached among everyone subscribed to a post',
        columns: [
          { key: 'edition', label: 'Broadcast', kind: 'text' },
          { key: 'title', label: 'Title', kind: 'text' },
          { key: 'sentAt', label: 'Sent', kind: 'text' },
          { key: 'recipients', label: 'Recipients', kind: 'int' },
          { key: 'subscribers', label: 'People subscribed anywhere', kind: 'int' },
          { key: 'reach', label: 'Reach', kind: 'rate' },
        ],
        rows: broadcasts,
      },
      {
        name: 'crisis',
        title: 'Crisis alerts: time from the alert to its last message accepted by SES',
        columns: [
          { key: 'post', label: 'Post', kind: 'text' },
          { key: 'edition', label: 'Alert', kind: 'text' },
          { key: 'title', label: 'Title', kind: 'text' },
          { key: 'sentAt', label: 'Sent', kind: 'text' },
          { key: 'recipients', label: 'Recipients', kind: 'int' },
          { key: 'seconds', label: 'Delivery time', kind: 'seconds' },
        ],
        rows: alerts,
      },
    ],
    charts: [trend.chart, compare],
  };
}
