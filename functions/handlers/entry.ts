import { resolveSecrets } from '../adapters/secrets';
import { type AppContext, buildContext } from '../app';
import { loadSettings } from '../config/settings';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api';
import { type RequestHandler, secure } from '../http/pipeline';

/**
 * The Lambda composition root: settings from the function's environment (and its
 * secret), read once per cold start; the only place a Lambda reads process.env.
 */
let shared: Promise<AppContext> | undefined;

export function lambdaContext(): Promise<AppContext> {
  shared ??= resolveSecrets(process.env).then((env) => buildContext(loadSettings(env)));
  return shared;
}

/** Lambda entry for an HTTP handler factory, behind the same authorisation pipeline as the local server. */
export function lambdaHttpEntry(factory: (ctx: AppContext) => RequestHandler): ApiHandler {
  let handler: ApiHandler | undefined;
  return async (event: ApiEvent): Promise<ApiResult> => {
    if (!handler) {
      const ctx = await lambdaContext();
      handler = secure(ctx, factory(ctx));
    }
    return handler(event);
  };
}
