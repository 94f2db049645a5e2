import { type Actor, type Principal, visiblePosts } from '../core/access';
import { ForbiddenError } from '../core/errors';
import { newId } from '../core/ids';
import { HQ_POST } from '../core/model';
import { audienceReport } from './audience';
import { editionReport } from './edition';
import { filterReport, isFiltered, type ReportFilter } from './filters';
import { networkReport } from './network';
import { type ReportFormat, toCsv, toHtml, toJson, toText } from './output';
import type { ReportDeps } from './ports';
import { postReport } from './post';
import { periodOf, type Report } from './report';
import { storyLeaderboard, storyReport } from './story';
import type { ReportLanguage } from './wording';

/** Which report: what it is about, and the period (days or months, inclusive). */
export type ReportRequest =
  | { readonly kind: 'edition'; readonly id: string; readonly post?: string }
  | { readonly kind: 'post'; readonly code: string; readonly from?: string; readonly to?: string }
  | { readonly kind: 'audience'; readonly audience: string; readonly from?: string; readonly to?: string }
  /** Without an id: the leaderboard of stories and kinds. */
  | { readonly kind: 'story'; readonly id?: string; readonly from?: string; readonly to?: string }
  | { readonly kind: 'network'; readonly from?: string; readonly to?: string };

export interface ExportDeps extends ReportDeps {
  /** Chart.js's UMD bundle, inlined in HTML reports (read once by the composition root). */
  readonly chartLibrary: () => Promise<string>;
}

export async function buildReport(deps: ReportDeps, request: ReportRequest): Promise<Report> {
  const now = deps.clock.now();
  switch (request.kind) {
    case 'edition':
      return editionReport(deps, request.id, request.post);
    case 'post':
      return postReport(deps, request.code, periodOf(request.from, request.to, now));
    case 'audience':
      return audienceReport(deps, request.audience, periodOf(request.from, request.to, now));
    case 'story':
      return request.id
        ? storyReport(deps, request.id, periodOf(request.from, request.to, now))
        : storyLeaderboard(deps, periodOf(request.from, request.to, now));
    case 'network':
      return networkReport(deps, periodOf(request.from, request.to, now));
  }
}

/**
 * Network-wide reports (network, audience kind or language, stories) name every
 * post's figures: network analysts, HQ (the spokesperson, HQ editors) and admins.
 * An analyst of one post is refused (403), whatever the route let through.
 */
export function checkNetworkReader(principal: Principal): void {
  const wide = visiblePosts(principal, ['analyst', 'spokesperson', 'admin']) === 'all';
  const hq = principal.grants.some((g) => g.role === 'hq-editor' && g.post === HQ_POST);
  if (!wide && !hq)
    throw new ForbiddenError('network reports are for network analysts, headquarters and admins');
}

export interface Exported {
  readonly report: Report;
  readonly body: string;
  readonly contentType: string;
  readonly filename: string;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  table: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};
const EXTENSIONS: Record<ReportFormat, string> = { table: 'txt', json: 'json', csv: 'csv', html: 'html' };

/**
 * Builds a report in one format and records the export in the audit trail (figures only, never
 * people). `lang`: the words of the table, CSV and HTML (English by default); JSON stays the API's.
 */
export async function exportReport(
  deps: ExportDeps,
  actor: Actor,
  request: ReportRequest,
  format: ReportFormat,
  options: { readonly bom?: boolean; readonly filter?: ReportFilter; readonly lang?: ReportLanguage } = {},
): Promise<Exported> {
  const built = await buildReport(deps, request);
  // Narrowed as the reader asked (the web app's filters): the export is what they were shown.
  const filter = options.filter ?? {};
  const report = isFiltered(filter) ? filterReport(built, filter, await deps.posts.list()) : built;
  const lang = options.lang ?? 'en';
  const body =
    format === 'json'
      ? toJson(report)
      : format === 'csv'
        ? toCsv(report, options.bom ?? false, lang)
        : format === 'html'
          ? toHtml(report, await deps.chartLibrary(), lang)
          : toText(report, lang);
  const post = report.post;
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: actor.id,
    action: 'report.exported',
    ...(post ? { post } : {}),
    target: { type: 'report', id: `${report.kind}:${report.subject}` },
    detail: {
      format,
      // The language of the words in the file (JSON has none), for whoever reads the trail.
      ...(format === 'json' ? {} : { lang }),
      ...(report.period ? { from: report.period.from, to: report.period.to } : {}),
      ...filter,
    },
  });
  const safe = report.subject.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60);
  return {
    report,
    body,
    contentType: CONTENT_TYPES[format],
    filename: `report-${report.kind}-${safe}.${EXTENSIONS[format]}`,
  };
}
