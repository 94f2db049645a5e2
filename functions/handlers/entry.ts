import { type AppContext, buildContext } from '../app';
import { loadSettings } from '../config/settings';
import type { ApiHandler } from '../http/api';
import { type RequestHandler, secure } from '../http/pipeline';

/**
 * Lambda entry for an HTTP handler factory: builds the context once per cold start
 * from the function's environment (the only place a Lambda reads process.env), and
 * puts the handler behind the same authorisation pipeline as the local server.
 */
export function lambdaHttpEntry(factory: (ctx: AppContext) => RequestHandler): ApiHandler {
  let handler: ApiHandler | undefined;
  return (event) => {
    if (!handler) {
      const ctx = buildContext(loadSettings(process.env));
      handler = secure(ctx, factory(ctx));
    }
    return handler(event);
  };
}

let shared: AppContext | undefined;

/** The context of a non-HTTP Lambda (queues, schedules), built once per cold start. */
export function lambdaContext(): AppContext {
  shared ??= buildContext(loadSettings(process.env));
  return shared;
}
