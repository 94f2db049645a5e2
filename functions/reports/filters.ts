import { ValidationError } from '../core/errors';
import { LANGUAGES, type Post } from '../core/model';
import type { Chart, Report, Table } from './report';

/** The continents posts are grouped by: a report's "region" (the peer groups' too). */
export const REGIONS = ['africa', 'americas', 'asia', 'europe', 'oceania'] as const;

/**
 * What a reader narrows a report to (the web app's filters, ?post=&region=&audience=&language=).
 * Rows are kept by their own columns: `post` (and through it the post's region), `audience`
 * and `language`; a table without the column is left whole. Totals and monthly trends are
 * the report's own scope (the network, an audience kind) and are not recomputed.
 */
export interface ReportFilter {
  readonly post?: string;
  readonly region?: (typeof REGIONS)[number];
  readonly audience?: string;
  readonly language?: (typeof LANGUAGES)[number];
}

const SLUG = /^[a-z][a-z0-9-]{1,39}$/;

/** Reads the filter from query parameters; a bad value is refused naming the parameter. */
export function reportFilterOf(query: Readonly<Record<string, string | undefined>>): ReportFilter {
  const out: { -readonly [K in keyof ReportFilter]: ReportFilter[K] } = {};
  const { post, region, audience, language } = query;
  if (post !== undefined) {
    if (!SLUG.test(post))
      throw new ValidationError('post must be a post code (lowercase letters, digits, dashes)');
    out.post = post;
  }
  if (region !== undefined) {
    if (!(REGIONS as readonly string[]).includes(region))
      throw new ValidationError(`region must be one of ${REGIONS.join(', ')}`);
    out.region = region as (typeof REGIONS)[number];
  }
  if (audience !== undefined) {
    if (!SLUG.test(audience)) throw new ValidationError('audience must be an audience id or kind');
    out.audience = audience;
  }
  if (language !== undefined) {
    if (!(LANGUAGES as readonly string[]).includes(language))
      throw new ValidationError(`language must be one of ${LANGUAGES.join(', ')}`);
    out.language = language as (typeof LANGUAGES)[number];
  }
  return out;
}

export const isFiltered = (f: ReportFilter): boolean => Object.values(f).some((v) => v !== undefined);

/** The report with only the rows (and post-labelled chart bars) the filter keeps, and a note saying so. */
export function filterReport(report: Report, filter: ReportFilter, posts: readonly Post[]): Report {
  if (!isFiltered(filter)) return report;
  const regionOf = new Map(posts.map((p) => [p.code, p.continent]));
  const postKept = (code: string) =>
    (filter.post === undefined || code === filter.post) &&
    (filter.region === undefined || regionOf.get(code) === filter.region);
  const keeps = (table: Table) => (row: Table['rows'][number]) => {
    const has = (key: string) => table.columns.some((c) => c.key === key);
    if (has('post') && !postKept(String(row.post))) return false;
    if (filter.audience !== undefined && has('audience') && row.audience !== filter.audience) return false;
    if (filter.language !== undefined && has('language') && row.language !== filter.language) return false;
    return true;
  };
  const tables = report.tables.map((t) => ({ ...t, rows: t.rows.filter(keeps(t)) }));
  const filtered = (Object.entries(filter) as [string, string][]).map(([k, v]) => `${k} ${v}`).join(', ');
  // The same, by name, for a reader that words it (remarks): `filter.region: asia`.
  const byName = Object.fromEntries(Object.entries(filter).map(([k, v]) => [`filter.${k}`, String(v)]));
  return {
    ...report,
    title: `${report.title} (${filtered})`,
    notes: [
      ...report.notes,
      `Filtered to ${filtered}: tables with a post, audience or language column keep only those rows; totals and monthly trends are the whole report's.`,
    ],
    ...(report.remarks
      ? {
          remarks: {
            ...report.remarks,
            // The title's words stay the report's; the page adds the filter as the API does.
            ...(report.remarks.title
              ? {
                  title: {
                    ...report.remarks.title,
                    values: { ...report.remarks.title.values, filter: filtered, ...byName },
                  },
                }
              : {}),
            notes: [...report.remarks.notes, { id: 'filtered', values: { filter: filtered, ...byName } }],
          },
        }
      : {}),
    tables,
    charts: report.charts.map((c) => chartOfPosts(c, regionOf, postKept)),
  };
}

/** A chart whose labels are all post codes keeps the kept posts' bars; any other chart is left as it is. */
function chartOfPosts(
  chart: Chart,
  known: ReadonlyMap<string, unknown>,
  kept: (code: string) => boolean,
): Chart {
  if (chart.labels.length === 0 || !chart.labels.every((l) => known.has(l))) return chart;
  const keep = chart.labels.map((l) => kept(l));
  return {
    ...chart,
    labels: chart.labels.filter((_, i) => keep[i]),
    series: chart.series.map((s) => ({ ...s, data: s.data.filter((_, i) => keep[i]) })),
  };
}
