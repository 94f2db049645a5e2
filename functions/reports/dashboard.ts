import { scopes } from '../engagement/model';
import { type ListGrowth, listGrowth } from './metrics';
import type { ReportDeps } from './ports';
import { editionRow } from './post';
import type { Period } from './report';
import { sentEditions } from './sent-editions';

/** One month of a post's list growth (docs/metrics.md "List growth"). */
export type GrowthMonth = { readonly month: string } & ListGrowth;

/** A sent edition's results so far, as the post report's editions table counts them. */
export interface EditionResults {
  readonly edition: string;
  readonly title: string;
  readonly sentAt: string;
  readonly recipients: number;
  readonly openRateHuman: number | null;
  readonly clickThroughRateHuman: number | null;
}

/**
 * What a post's editors see on their dashboard: the list's growth per month and each
 * edition sent in the period with its results, from the counters the post report reads
 * (never raw events). Not an export: nothing is audited, nothing is downloadable.
 */
export async function postDashboardFigures(
  deps: ReportDeps,
  code: string,
  period: Period,
): Promise<{ growth: GrowthMonth[]; editions: EditionResults[] }> {
  const [sent, ...months] = await Promise.all([
    sentEditions(deps, code, period),
    ...period.months.map((m) => deps.counters.read(scopes.postMonth(code, m))),
  ]);
  const counts = await Promise.all(sent.map((e) => deps.counters.read(scopes.edition(e.id))));
  return {
    growth: period.months.map((month, i) => ({ month, ...listGrowth(months[i]?.counts ?? {}) })),
    editions: sent.map((e, i) => {
      const { edition, title, sentAt, recipients, openRateHuman, clickThroughRateHuman } = editionRow(
        e,
        counts[i]?.counts ?? {},
      );
      return { edition, title, sentAt, recipients, openRateHuman, clickThroughRateHuman };
    }),
  };
}
