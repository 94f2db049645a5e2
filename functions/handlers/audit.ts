import type { AppContext } from '../app';
import { json, pathParam } from '../http/api';
import type { RequestHandler } from '../http/pipeline';
import { pageRequest } from '../http/query';
import { lambdaHttpEntry } from './entry';

/** GET /posts/{code}/audit and GET /audit (network-wide actions). */
export const makeAuditHandler =
  (ctx: AppContext): RequestHandler =>
  async (event) => {
    const post = event.routeKey === 'GET /audit' ? undefined : pathParam(event, 'code');
    return json(200, await ctx.audit.list(post, pageRequest(event)));
  };

export const handler = lambdaHttpEntry(makeAuditHandler);
