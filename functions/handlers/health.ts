import { checkHealth } from '../core/health';
import { json } from '../http/api';
import { type OperationsOf, serveOperations } from '../http/operations';
import { lambdaHttpEntry } from './entry';

/** GET /health: 200 with each component's status, 503 when one is down. */
export const healthOperations: OperationsOf<'health'> = {
  checkHealth: async ({ ctx }) => {
    const report = await checkHealth(ctx.probes);
    return json(report.status === 'ok' ? 200 : 503, {
      service: 'missive',
      stage: ctx.settings.stage,
      ...report,
    });
  },
};

export const makeHealthHandler = serveOperations('health', healthOperations);

export const handler = lambdaHttpEntry(makeHealthHandler);
