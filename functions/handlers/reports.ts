import { CHARTS } from '../app';
import { actorFor, type Principal } from '../core/access';
import { ValidationError } from '../core/errors';
import type { ApiResult } from '../http/api';
import { pathParam } from '../http/api';
import { type OperationRequest, type OperationsOf, serveOperations } from '../http/operations';
import { oneOf } from '../http/query';
import { checkNetworkReader, exportReport, type ReportRequest } from '../reports/export';
import { reportFilterOf } from '../reports/filters';
import { REPORT_FORMATS } from '../reports/output';
import { REPORT_LANGUAGES } from '../reports/wording';
import { lambdaHttpEntry } from './entry';

/** The route's pipeline authenticated the caller: a staff route without one is a wiring defect. */
function callerOf(req: OperationRequest): Principal {
  if (!req.caller) throw new Error(`staff route ${req.route.path} reached without a caller`);
  return req.caller;
}

const DATE = /^\d{4}-\d{2}(-\d{2})?$/;

/** ?from=&to= (YYYY-MM or YYYY-MM-DD): checked here for the parameter's name, fully by the report. */
function periodQuery({ event }: OperationRequest): { from?: string; to?: string } {
  const q = event.queryStringParameters ?? {};
  for (const name of ['from', 'to'] as const)
    if (q[name] !== undefined && !DATE.test(q[name] ?? ''))
      throw new ValidationError(`${name} must be a date: YYYY-MM-DD or YYYY-MM`);
  return { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
}

/**
 * Runs a report as the caller, in ?format= (json by default; csv with ?bom=1), worded in
 * ?lang=en|fr|nl (English by default; JSON stays ids and English), narrowed by
 * ?post=&region=&audience=&language= (reports/filters.ts), audited as report.exported.
 */
async function answer(req: OperationRequest, request: ReportRequest, post?: string): Promise<ApiResult> {
  const format = oneOf(req.event, 'format', REPORT_FORMATS) ?? 'json';
  const bom = oneOf(req.event, 'bom', ['0', '1', 'true', 'false']);
  const lang = oneOf(req.event, 'lang', REPORT_LANGUAGES) ?? 'en';
  const out = await exportReport(req.ctx.reports, actorFor(callerOf(req), post), request, format, {
    bom: bom === '1' || bom === 'true',
    filter: reportFilterOf(req.event.queryStringParameters ?? {}),
    lang,
  });
  return {
    statusCode: 200,
    headers: {
      'content-type': out.contentType,
      ...(format === 'csv' || format === 'html'
        ? { 'content-disposition': `attachment; filename="${out.filename}"` }
        : {}),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // The HTML report runs only its own inline scripts and loads nothing.
      ...(format === 'html'
        ? {
            'content-security-policy':
              "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:",
          }
        : {}),
    },
    body: out.body,
  };
}

/**
 * Usage reports. Who sees what is in the route table (an analyst or editor of a post
 * through the post's routes); the network-wide reports also need a network-wide role
 * or HQ (checkNetworkReader), since an analyst of one post holds the same role name.
 */
export const reportsOperations: OperationsOf<'reports'> = {
  editionReport: (req) => {
    const post = pathParam(req.event, 'code');
    return answer(req, { kind: 'edition', id: pathParam(req.event, 'id'), post }, post);
  },
  postReport: (req) => {
    const code = pathParam(req.event, 'code');
    return answer(req, { kind: 'post', code, ...periodQuery(req) }, code);
  },
  networkReport: (req) => {
    checkNetworkReader(callerOf(req));
    return answer(req, { kind: 'network', ...periodQuery(req) });
  },
  audienceReport: (req) => {
    checkNetworkReader(callerOf(req));
    return answer(req, { kind: 'audience', audience: pathParam(req.event, 'kind'), ...periodQuery(req) });
  },
  storyReport: (req) => {
    checkNetworkReader(callerOf(req));
    const id = req.event.queryStringParameters?.id;
    if (id !== undefined && (id.length === 0 || id.length > 2000))
      throw new ValidationError('id must be a content item id or a story id, at most 2000 characters');
    return answer(req, { kind: 'story', ...(id ? { id } : {}), ...periodQuery(req) });
  },
};

export const makeReportsHandler = serveOperations('reports', reportsOperations);

export const handler = lambdaHttpEntry(makeReportsHandler, CHARTS);
