import { NotFoundError } from '../core/errors';
import type { Edition } from '../editions/model';
import { scopes } from '../engagement/model';
import { figures } from './metrics';
import type { ReportDeps } from './ports';
import {
  type Chart,
  FIGURE_COLUMNS,
  figureCells,
  type Remark,
  type Report,
  summaryTable,
  type Table,
  warningLines,
  warningRemarks,
} from './report';

/** The hours shown one by one after a send; then days, up to the seventh. */
export const HOURLY = 24;
export const DAYS = 7;
const SERIES = ['opens', 'opens_h', 'uopens', 'clicks', 'clicks_h', 'uclicks'] as const;

/** The edition, or a 404 naming it (another post's edition is "not found" too). */
export async function editionOf(deps: ReportDeps, id: string, post?: string): Promise<Edition> {
  const edition = await deps.editions.get(id);
  if (!edition || (post !== undefined && edition.post !== post))
    throw new NotFoundError(`no edition "${id}"`);
  return edition;
}

const hourKey = (ms: number) => new Date(ms).toISOString().slice(0, 13);

/**
 * Opens and clicks in the 7 days after the send: hour by hour for the first 24 hours,
 * then day by day (days 2 to 7), from `scopes.editionHours` (`<name>@YYYY-MM-DDTHH`).
 * The send starts at the edition's scheduled time, or its first counted hour.
 */
export function timeSeries(
  counts: Readonly<Record<string, number>>,
  start: string | undefined,
): {
  labels: string[];
  values: Record<(typeof SERIES)[number], number[]>;
  startHour: string | undefined;
} {
  const hours = Object.keys(counts)
    .filter((k) => k.includes('@'))
    .map((k) => k.slice(k.indexOf('@') + 1))
    .sort();
  const first = start ?? (hours[0] ? `${hours[0]}:00:00Z` : undefined);
  const values = Object.fromEntries(SERIES.map((s) => [s, [] as number[]])) as Record<
    (typeof SERIES)[number],
    number[]
  >;
  const labels: string[] = [];
  if (!first) return { labels, values, startHour: undefined };
  const t0 = Date.parse(`${first.slice(0, 13)}:00:00Z`);
  const at = (name: string, h: number) => counts[`${name}@${hourKey(t0 + h * 3_600_000)}`] ?? 0;
  for (let h = 0; h < HOURLY; h++) {
    // `hour 1` is the first hour after the send (not `+1h`: a CSV cell starting with + is neutralised as a formula).
    labels.push(`hour ${h + 1}`);
    for (const s of SERIES) values[s].push(at(s, h));
  }
  for (let d = 1; d < DAYS; d++) {
    labels.push(`day ${d + 1}`);
    for (const s of SERIES) {
      let sum = 0;
      for (let h = d * 24; h < (d + 1) * 24; h++) sum += at(s, h);
      values[s].push(sum);
    }
  }
  return { labels, values, startHour: hourKey(t0) };
}

/** One edition: totals, per variant, per link, and the 7 days after its send. */
export async function editionReport(deps: ReportDeps, id: string, post?: string): Promise<Report> {
  const edition = await editionOf(deps, id, post);
  // The hour-by-hour counters are in the edition's scope (scopes.editionHours): one read.
  const [total, ...variants] = await Promise.all([
    deps.counters.read(scopes.edition(id)),
    ...edition.variants.map((v) => deps.counters.read(scopes.variant(id, v.audience, v.language))),
  ]);
  const renders = await Promise.all(
    edition.variants.map((v) => deps.editions.getRender(id, v.audience, v.language)),
  );
  const all = figures(total.counts);

  const perVariant: Table = {
    name: 'variants',
    title: 'Per variant',
    columns: [
      { key: 'audience', label: 'Audience', kind: 'text' },
      { key: 'language', label: 'Language', kind: 'text' },
      { key: 'subject', label: 'Subject', kind: 'text' },
      ...FIGURE_COLUMNS,
    ],
    rows: edition.variants.map((v, i) => ({
      audience: v.audience,
      language: v.language,
      subject: v.subject,
      ...figureCells(figures(variants[i]?.counts ?? {})),
    })),
  };

  // Per link: counters per link index on the edition scope; a link's address per variant.
  const linkIndexes = new Set<number>();
  for (const key of Object.keys(total.counts)) {
    const m = /^u?clicks_L(\d+)$/.exec(key);
    if (m) linkIndexes.add(Number(m[1]));
  }
  const links: Table = {
    name: 'links',
    title: 'Top links',
    columns: [
      { key: 'link', label: 'Link', kind: 'int' },
      { key: 'url', label: 'Address', kind: 'text' },
      { key: 'uniqueClicks', label: 'Unique clicks', kind: 'int' },
      { key: 'clicks', label: 'Clicks', kind: 'int' },
      { key: 'clickRate', label: 'Unique clicks / delivered', kind: 'rate' },
    ],
    rows: [...linkIndexes]
      .map((n) => {
        const urls = [...new Set(renders.map((r) => r?.links[n]).filter((u): u is string => !!u))];
        const unique = total.counts[`uclicks_L${n}`] ?? 0;
        return {
          link: n,
          url: urls.join(' | '),
          uniqueClicks: unique,
          clicks: total.counts[`clicks_L${n}`] ?? 0,
          clickRate: all.delivered > 0 ? unique / all.delivered : null,
        };
      })
      .sort((a, b) => b.uniqueClicks - a.uniqueClicks || a.link - b.link),
  };

  const series = timeSeries(total.counts, edition.scheduledAt);
  // Each step by number, beside its English label: hours first, then days from the second.
  const step = (i: number) => (i < HOURLY ? { hour: i + 1 } : { day: i - HOURLY + 2 });
  const stepRemark = (i: number): Remark => {
    const s = step(i);
    return 'hour' in s
      ? { id: 'after.hour', values: { n: String(s.hour) } }
      : { id: 'after.day', values: { n: String(s.day) } };
  };
  const seriesTable: Table = {
    name: 'after-send',
    title: 'Opens and clicks after the send (hour by hour, then day by day)',
    columns: [
      { key: 'when', label: 'After the send', kind: 'text' },
      { key: 'opens_h', label: 'Opens (human)', kind: 'int' },
      { key: 'opens', label: 'Opens (all)', kind: 'int' },
      { key: 'uopens', label: 'First opens', kind: 'int' },
      { key: 'clicks_h', label: 'Clicks (human)', kind: 'int' },
      { key: 'clicks', label: 'Clicks (all)', kind: 'int' },
      { key: 'uclicks', label: 'First clicks', kind: 'int' },
    ],
    rows: series.labels.map((when, i) => ({
      when,
      // Not a column (the outputs show `when`): the page words the step from it.
      ...step(i),
      opens_h: series.values.opens_h[i] ?? 0,
      opens: series.values.opens[i] ?? 0,
      uopens: series.values.uopens[i] ?? 0,
      clicks_h: series.values.clicks_h[i] ?? 0,
      clicks: series.values.clicks[i] ?? 0,
      uclicks: series.values.uclicks[i] ?? 0,
    })),
  };
  // Hours and days apart: a day's sum beside an hour's value would flatten the first day.
  const afterSend = (id: string, title: string, from: number, to: number): Chart => ({
    id,
    title,
    type: id.endsWith('hours') ? 'line' : 'bar',
    labels: series.labels.slice(from, to),
    labelRemarks: series.labels.slice(from, to).map((_, i) => stepRemark(from + i)),
    series: [
      { label: 'Opens (human)', data: series.values.opens_h.slice(from, to) },
      { label: 'Opens (all)', data: series.values.opens.slice(from, to) },
      { label: 'Clicks (human)', data: series.values.clicks_h.slice(from, to) },
      { label: 'Clicks (all)', data: series.values.clicks.slice(from, to) },
    ],
  });
  const charts: Chart[] = [
    afterSend('after-send-hours', 'Opens and clicks, hour by hour, in the first 24 hours', 0, HOURLY),
    afterSend(
      'after-send-days',
      'Opens and clicks, day by day, to the seventh day',
      HOURLY,
      HOURLY + DAYS - 1,
    ),
    {
      id: 'variants',
      title: 'Open rate and CTR per variant',
      type: 'bar',
      percent: true,
      labels: edition.variants.map((v) => `${v.audience}/${v.language}`),
      series: [
        { label: 'Open rate (human)', data: perVariant.rows.map((r) => r.openRateHuman as number | null) },
        { label: 'CTR (human)', data: perVariant.rows.map((r) => r.clickThroughRateHuman as number | null) },
      ],
    },
  ];

  return {
    kind: 'edition',
    subject: id,
    post: edition.post,
    title: `Edition "${edition.title}" (${edition.post})`,
    generatedAt: deps.clock.now().toISOString(),
    warnings: [
      ...warningLines('edition', all),
      ...edition.variants.flatMap((v, i) =>
        warningLines(`${v.audience}/${v.language}`, figures(variants[i]?.counts ?? {})),
      ),
    ],
    notes: [
      `Sent ${edition.scheduledAt ?? '(not sent)'}; status ${edition.status}. Series from ${series.startHour ?? '—'}:00 UTC.`,
    ],
    remarks: {
      title: { id: 'edition', values: { title: edition.title, post: edition.post } },
      warnings: [
        ...warningRemarks('line.edition', all),
        ...edition.variants.flatMap((v, i) =>
          warningRemarks('line', figures(variants[i]?.counts ?? {}), `${v.audience}/${v.language}`),
        ),
      ],
      notes: [
        {
          id: edition.scheduledAt ? 'edition.sent' : 'edition.unsent',
          values: {
            ...(edition.scheduledAt ? { sentAt: edition.scheduledAt } : {}),
            status: edition.status,
            start: series.startHour ? `${series.startHour}:00:00Z` : '—',
          },
        },
      ],
    },
    tables: [
      summaryTable('summary', 'Edition totals', all, [['Edition status', edition.status, 'text']]),
      perVariant,
      links,
      seriesTable,
    ],
    charts,
  };
}
