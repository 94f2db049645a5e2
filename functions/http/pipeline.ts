import type { AppContext } from '../app';
import { authorize, type Principal } from '../core/access';
import {
  type ApiEvent,
  type ApiHandler,
  type ApiResult,
  decodePathParameters,
  errorBody,
  json,
  withErrors,
} from './api';
import { ROUTES_BY_KEY } from './routes';

/** A handler after authentication and authorisation: it gets the caller (undefined on public routes). */
export type RequestHandler = (event: ApiEvent, caller: Principal | undefined) => Promise<ApiResult>;

const CODES = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' } as const;

/**
 * What every HTTP request goes through, on AWS and locally alike: find the route's
 * rule in the route table, authenticate staff, ask the authorisation module, then
 * call the handler. A route key that is not in the table has no rule: refused. Path
 * parameters are decoded here first, so both runtimes decode them the same way.
 */
export function secure(ctx: AppContext, handler: RequestHandler): ApiHandler {
  return withErrors(ctx.log, async (raw) => {
    // Decoded once: the access check and the handler see the same post code.
    const event = decodePathParameters(raw);
    const rule = ROUTES_BY_KEY.get(event.routeKey)?.access;
    const principal =
      rule?.kind === 'staff' ? await ctx.auth.authenticate(event.headers?.authorization) : undefined;
    const decision = authorize(rule, principal, event.pathParameters?.code);
    if (!decision.allow) {
      return json(decision.status, errorBody(CODES[decision.status], decision.reason), {
        ...(decision.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      });
    }
    return handler(event, principal);
  });
}

/** The caller on a staff route (the pipeline guarantees one). */
export function staffCaller(caller: Principal | undefined): Principal {
  if (!caller) throw new Error('staff route reached without a principal');
  return caller;
}
