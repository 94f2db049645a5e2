import { type AppContext, buildContext } from '../app';
import { loadSettings } from '../config/settings';
import { type ApiHandler, withErrors } from '../http/api';

/**
 * Lambda entry for an HTTP handler factory: builds the context once per cold start
 * from the function's environment (the only place a Lambda reads process.env).
 */
export function lambdaHttpEntry(factory: (ctx: AppContext) => ApiHandler): ApiHandler {
  let handler: ApiHandler | undefined;
  return (event) => {
    if (!handler) {
      const ctx = buildContext(loadSettings(process.env));
      handler = withErrors(ctx.log, factory(ctx));
    }
    return handler(event);
  };
}
