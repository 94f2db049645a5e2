import { quoted, ValidationError } from '../core/errors';
import { AUDIENCE_KINDS, LANGUAGES } from '../core/model';
import { scopes } from '../engagement/model';
import { engagement, figures, sumCounts } from './metrics';
import { monthlyTrend } from './network';
import type { ReportDeps } from './ports';
import {
  engagementNote,
  engagementRemark,
  engagementRows,
  engagementWindow,
  type Period,
  type Report,
  summaryTable,
  warningLines,
  warningRemarks,
} from './report';

/** An audience kind (economic, cultural, ...) or a language (fr, nl, ...) across the network. */
export async function audienceReport(deps: ReportDeps, kind: string, period: Period): Promise<Report> {
  const isKind = (AUDIENCE_KINDS as readonly string[]).includes(kind);
  if (!isKind && !(LANGUAGES as readonly string[]).includes(kind))
    throw new ValidationError(
      `${quoted(kind)} is neither an audience kind (${AUDIENCE_KINDS.join(', ')}) nor a language (${LANGUAGES.join(', ')})`,
    );
  const scope = (m: string) => (isKind ? scopes.audienceMonth(kind, m) : scopes.languageMonth(kind, m));
  const window = engagementWindow(period);
  const months = [...new Set([...window, ...period.months])];
  const read = await Promise.all(months.map((m) => deps.counters.read(scope(m))));
  const byMonth = new Map(months.map((m, i) => [m, read[i]?.counts ?? {}]));
  const monthly = period.months.map((m) => byMonth.get(m) ?? {});
  const all = figures(sumCounts(monthly));
  const eng = engagement(window.map((m) => byMonth.get(m) ?? {}));
  const trend = monthlyTrend(period.months, monthly);
  const label = isKind ? `Audience kind "${kind}"` : `Language "${kind}"`;
  return {
    kind: 'audience',
    subject: kind,
    title: `${label} across the network`,
    period,
    generatedAt: deps.clock.now().toISOString(),
    warnings: warningLines(kind, all),
    notes: [engagementNote(period)],
    remarks: {
      title: { id: isKind ? 'audience.kind' : 'audience.language', values: { subject: kind } },
      warnings: warningRemarks('line', all, kind),
      notes: [engagementRemark(period)],
    },
    tables: [summaryTable('summary', 'Totals', all, [...engagementRows(eng)]), trend.table],
    charts: [trend.chart],
  };
}
