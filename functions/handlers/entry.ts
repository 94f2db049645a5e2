import { resolveSecrets } from '../adapters/secrets';
import { type AppContext, type AppParts, composeContext } from '../app';
import { loadSettings } from '../config/settings';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api';
import { type RequestHandler, secure } from '../http/pipeline';

/**
 * The Lambda composition root: settings from the function's environment (and its
 * secret), read once per cold start; the only place a Lambda reads process.env.
 * `parts`: the heavy parts this function's handler uses (app.ts AppParts); its bundle
 * holds those and no others.
 */
let shared: Promise<AppContext> | undefined;

export function lambdaContext(parts: Partial<AppParts> = {}): Promise<AppContext> {
  shared ??= resolveSecrets(process.env).then((env) => composeContext(loadSettings(env), {}, parts));
  return shared;
}

/** Lambda entry for an HTTP handler factory, behind the same authorisation pipeline as the local server. */
export function lambdaHttpEntry(
  factory: (ctx: AppContext) => RequestHandler,
  parts: Partial<AppParts> = {},
): ApiHandler {
  let handler: ApiHandler | undefined;
  return async (event: ApiEvent): Promise<ApiResult> => {
    if (!handler) {
      const ctx = await lambdaContext(parts);
      handler = secure(ctx, factory(ctx));
    }
    return handler(event);
  };
}
