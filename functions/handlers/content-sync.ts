import type { Context, ScheduledEvent } from 'aws-lambda';
import { FEEDS } from '../app';
import { type SourceReport, syncAll } from '../content/sync';
import { lambdaContext } from './entry';

/**
 * Scheduled (EventBridge) content sync. Logs one line per source; fails the
 * invocation (so an alarm can see it) only when every source failed.
 */
export async function handler(
  _event: ScheduledEvent,
  context?: Context,
): Promise<{ sources: SourceReport[] }> {
  const ctx = await lambdaContext(FEEDS, context);
  const sources = await syncAll(ctx.content, ctx.settings.contentFeeds);
  for (const s of sources) {
    const { skipped, ...rest } = s;
    ctx.log[s.status === 'failed' ? 'error' : 'info']('content source synced', {
      ...rest,
      skipped: skipped.length,
    });
  }
  if (sources.length > 0 && sources.every((s) => s.status === 'failed')) {
    throw new Error(
      `every content source failed: ${sources.map((s) => `${s.language}: ${s.error}`).join('; ')}`,
    );
  }
  return { sources };
}
