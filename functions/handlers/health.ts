import type { AppContext } from '../app';
import { checkHealth } from '../core/health';
import { json } from '../http/api';
import type { RequestHandler } from '../http/pipeline';
import { lambdaHttpEntry } from './entry';

/** GET /health: 200 with each component's status, 503 when one is down. */
export const makeHealthHandler =
  (ctx: AppContext): RequestHandler =>
  async () => {
    const report = await checkHealth(ctx.probes);
    return json(report.status === 'ok' ? 200 : 503, {
      service: 'missive',
      stage: ctx.settings.stage,
      ...report,
    });
  };

export const handler = lambdaHttpEntry(makeHealthHandler);
