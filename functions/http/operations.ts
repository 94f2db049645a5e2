import type { AppContext } from '../app';
import type { Principal } from '../core/access';
import type { ApiEvent, ApiResult } from './api';
import type { RequestHandler } from './pipeline';
import { type HandlerName, type OperationOf, ROUTES_BY_KEY, type RouteDefinition } from './routes';

/** What an operation gets: the app, the request, its route, the caller (undefined on public routes). */
export interface OperationRequest {
  readonly ctx: AppContext;
  readonly event: ApiEvent;
  readonly route: RouteDefinition;
  readonly caller: Principal | undefined;
}

export type OperationHandler = (req: OperationRequest) => Promise<ApiResult>;

/** A handler module's code: one function per operation its routes name; a missing one does not compile. */
export type OperationsOf<H extends HandlerName> = { readonly [O in OperationOf<H>]: OperationHandler };

/**
 * The request handler of one handler module (one Lambda on AWS): the route table
 * names the operation of each request, and that operation's function answers it.
 */
export function serveOperations<H extends HandlerName>(
  handler: H,
  operations: OperationsOf<H>,
): (ctx: AppContext) => RequestHandler {
  const byName = new Map<string, OperationHandler>(Object.entries(operations));
  return (ctx) => async (event, caller) => {
    const route = ROUTES_BY_KEY.get(event.routeKey);
    const run = route?.handler === handler ? byName.get(route.operation) : undefined;
    // The local router and CDK send each route to its own handler: a miss is a wiring defect (500).
    if (!route || !run) throw new Error(`handler ${handler} does not serve ${event.routeKey}`);
    return run({ ctx, event, route, caller });
  };
}
