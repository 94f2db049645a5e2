import { NotFoundError } from '../core/errors';
import type { EditionSummary } from '../editions/model';
import { scopes } from '../engagement/model';
import { benchmarkOf, benchmarkRow, MIN_BENCHMARK_GROUP, networkData } from './benchmark';
import { type Counts, engagement, figures, listGrowth, sumCounts } from './metrics';
import { monthlyTrend } from './network';
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
import { sentEditions } from './sent-editions';

/** A sent edition's row of figures, as the post report and the post's dashboard show it. */
export function editionRow(e: EditionSummary, counts: Counts) {
  const f = figures(counts);
  return {
    edition: e.id,
    title: e.title,
    sentAt: e.scheduledAt ?? '',
    recipients: f.recipients,
    openRateHuman: f.openRateHuman,
    openRate: f.openRate,
    clickThroughRateHuman: f.clickThroughRateHuman,
    clickToOpenRateHuman: f.clickToOpenRateHuman,
    unsubscribeRate: f.unsubscribeRate,
    hardBounceRate: f.hardBounceRate,
  };
}

/** One post over a period: its editions, monthly trend, list growth, benchmarks. */
export async function postReport(deps: ReportDeps, code: string, period: Period): Promise<Report> {
  const post = await deps.posts.get(code);
  if (!post) throw new NotFoundError(`no post "${code}"`);
  const window = engagementWindow(period);
  const months = [...new Set([...window, ...period.months])];
  const [editions, data, ...read] = await Promise.all([
    sentEditions(deps, code, period),
    networkData(deps, period),
    ...months.map((m) => deps.counters.read(scopes.postMonth(code, m))),
  ]);
  const byMonth = new Map(months.map((m, i) => [m, read[i]?.counts ?? {}]));
  const monthly = period.months.map((m) => byMonth.get(m) ?? {});
  const total = sumCounts(monthly);
  const all = figures(total);
  const eng = engagement(window.map((m) => byMonth.get(m) ?? {}));
  const editionCounts = await Promise.all(editions.map((e) => deps.counters.read(scopes.edition(e.id))));
  const trend = monthlyTrend(period.months, monthly, editions);

  const editionsTable: Table = {
    name: 'editions',
    title: 'Editions',
    columns: [
      { key: 'edition', label: 'Edition', kind: 'text' },
      { key: 'title', label: 'Title', kind: 'text' },
      { key: 'sentAt', label: 'Sent', kind: 'text' },
      { key: 'recipients', label: 'Recipients', kind: 'int' },
      { key: 'openRateHuman', label: 'Open rate (human)', kind: 'rate' },
      { key: 'openRate', label: 'Open rate (all)', kind: 'rate' },
      { key: 'clickThroughRateHuman', label: 'CTR (human)', kind: 'rate' },
      { key: 'clickToOpenRateHuman', label: 'CTOR (human)', kind: 'rate' },
      { key: 'unsubscribeRate', label: 'Unsubscribe rate', kind: 'rate' },
      { key: 'hardBounceRate', label: 'Hard bounce rate', kind: 'rate' },
    ],
    rows: editions.map((e, i) => editionRow(e, editionCounts[i]?.counts ?? {})),
  };

  const growthRows = period.months.map((month, i) => ({ month, ...listGrowth(monthly[i] ?? {}) }));
  const growth: Table = {
    name: 'list-growth',
    title: 'List growth',
    columns: [
      { key: 'month', label: 'Month', kind: 'text' },
      { key: 'new', label: 'New', kind: 'int' },
      { key: 'confirmed', label: 'Confirmed', kind: 'int' },
      { key: 'unsubscribed', label: 'Unsubscribed', kind: 'int' },
      { key: 'cleaned', label: 'Cleaned (suppressed)', kind: 'int' },
      { key: 'net', label: 'Net', kind: 'int' },
    ],
    rows: growthRows,
  };

  const me = data.posts.find((p) => p.post.code === code);
  const bench = benchmarkOf(data, code);
  // A median left out for a small group says why (benchmark.ts MIN_BENCHMARK_GROUP).
  const hidden = bench.some((b) => b.value !== null && (b.networkMedian === null || b.peerMedian === null));
  const benchTable: Table = {
    name: 'benchmarks',
    title: `Beside the network and the peer group ${me ? `(${me.peerKey}: region/main language/list-size band)` : ''}`,
    columns: [
      { key: 'figure', label: 'Figure', kind: 'text' },
      { key: 'value', label: code, kind: 'rate' },
      { key: 'networkMedian', label: 'Network median', kind: 'rate' },
      { key: 'peerMedian', label: 'Peer median', kind: 'rate' },
      { key: 'peers', label: 'Peers', kind: 'int' },
      { key: 'percentile', label: 'Percentile', kind: 'number' },
    ],
    rows: bench.map(benchmarkRow),
    ...(me ? { params: { peers: me.peerKey } } : {}),
  };
  const growthChart: Chart = {
    id: 'list-growth',
    title: 'List growth per month',
    type: 'bar',
    labels: period.months,
    series: [
      { label: 'Confirmed', data: growthRows.map((r) => r.confirmed) },
      { label: 'Unsubscribed', data: growthRows.map((r) => -r.unsubscribed) },
      { label: 'Cleaned', data: growthRows.map((r) => -r.cleaned) },
    ],
  };
  const benchChart: Chart = {
    id: 'benchmarks',
    title: `${code} beside the network median and its peers`,
    type: 'bar',
    percent: true,
    labels: benchTable.rows.map((r) => String(r.figure)),
    series: [
      { label: code, data: bench.map((b) => b.value) },
      { label: 'Network median', data: bench.map((b) => b.networkMedian) },
      { label: 'Peer median', data: bench.map((b) => b.peerMedian) },
    ],
  };
  const growthTotal = listGrowth(total);
  return {
    kind: 'post',
    subject: code,
    post: code,
    title: `${post.name} (${code})`,
    period,
    generatedAt: deps.clock.now().toISOString(),
    warnings: [
      ...warningLines(code, all),
      ...editionsTable.rows.flatMap((r, i) =>
        warningLines(`edition ${r.edition}`, figures(editionCounts[i]?.counts ?? {})),
      ),
    ],
    notes: [engagementNote(period), ...(hidden ? [benchmarkGroupNote] : [])],
    remarks: {
      warnings: [
        ...warningRemarks('line', all, code),
        ...editionsTable.rows.flatMap((r, i) =>
          warningRemarks('line.editionOf', figures(editionCounts[i]?.counts ?? {}), String(r.edition)),
        ),
      ],
      notes: [
        engagementRemark(period),
        ...(hidden ? [{ id: 'benchmarkGroup', values: { min: String(MIN_BENCHMARK_GROUP) } }] : []),
      ],
    },
    tables: [
      summaryTable('summary', 'Totals', all, [
        ['Editions', editions.length, 'int'],
        ...engagementRows(eng),
        ['New subscriptions', growthTotal.new, 'int'],
        ['Net list growth', growthTotal.net, 'int'],
      ]),
      editionsTable,
      trend.table,
      growth,
      benchTable,
    ],
    charts: [trend.chart, growthChart, benchChart],
  };
}

const benchmarkGroupNote = `Medians and percentiles are shown for groups of at least ${MIN_BENCHMARK_GROUP} posts with a value, so that no other post's figures can be worked out from them (docs/metrics.md).`;
