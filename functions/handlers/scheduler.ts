import type { ScheduledEvent } from 'aws-lambda';
import { DynamoSettledSends } from '../adapters/dynamodb/settled-sends';
import { runScheduler } from '../sending/consume';
import { lambdaContext } from './entry';

/** Stalled editions whose records were counted, per warm container (a Scan at most once per stall window). */
const recordChecks = new Map<string, number>();

/** EventBridge, every minute: start due editions, finish those whose recipients are all settled. */
export async function handler(_event: ScheduledEvent): Promise<{ started: string[]; finished: string[] }> {
  const ctx = await lambdaContext();
  const settled = new DynamoSettledSends(ctx.dynamo.doc, ctx.settings.tables.sends);
  const result = await runScheduler(
    { ...ctx.sending.dispatch, log: ctx.log, settled, recordChecks },
    ctx.clock.now(),
  );
  if (result.started.length || result.finished.length) ctx.log.info('scheduler', result);
  return result;
}
