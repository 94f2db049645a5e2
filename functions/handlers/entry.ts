import type { Context } from 'aws-lambda';
import { type LambdaLogger, powertoolsLogger } from '../adapters/powertools/lambda';
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
let shared: Promise<{ ctx: AppContext; log: LambdaLogger }> | undefined;

/**
 * The function's context; each line it logs during this invocation carries the Lambda
 * context and, given, the correlation id (the edition a batch is about).
 */
export async function lambdaContext(
  parts: Partial<AppParts> = {},
  context?: Context,
  correlationId?: string,
): Promise<AppContext> {
  shared ??= resolveSecrets(process.env).then((env) => {
    const settings = loadSettings(env);
    const log = powertoolsLogger('missive', { stage: settings.stage });
    return { ctx: composeContext(settings, { log }, parts), log };
  });
  const { ctx, log } = await shared;
  log.invocation(context, correlationId);
  return ctx;
}

/** The one edition a batch's messages are about (the correlation id of its log lines), if one. */
export function editionOf(bodies: readonly { editionId?: string }[]): string | undefined {
  const ids = new Set(bodies.map((b) => b.editionId));
  const [only] = ids;
  return ids.size === 1 ? only : undefined;
}

/** Lambda entry for an HTTP handler factory, behind the same authorisation pipeline as the local server. */
export function lambdaHttpEntry(
  factory: (ctx: AppContext) => RequestHandler,
  parts: Partial<AppParts> = {},
): ApiHandler {
  let handler: ApiHandler | undefined;
  return async (event: ApiEvent, context?: Context): Promise<ApiResult> => {
    const ctx = await lambdaContext(parts, context);
    handler ??= secure(ctx, factory(ctx));
    return handler(event);
  };
}
