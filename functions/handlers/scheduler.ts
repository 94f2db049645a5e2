import type { Context, ScheduledEvent } from 'aws-lambda';
import { RENDERING } from '../app';
import { runScheduler } from '../sending/consume';
import { lambdaContext } from './entry';

/** EventBridge, every minute: start due editions, finish those whose recipients are all settled. */
export async function handler(
  _event: ScheduledEvent,
  context?: Context,
): Promise<{ started: string[]; finished: string[] }> {
  const ctx = await lambdaContext(RENDERING, context);
  const result = await runScheduler(ctx.sending.scheduler, ctx.clock.now());
  if (result.started.length || result.finished.length) ctx.log.info('scheduler', result);
  return result;
}
