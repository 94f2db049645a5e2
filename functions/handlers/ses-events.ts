import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { AppContext } from '../app';
import { recordEngagementBatch } from '../engagement/ses-events';
import { lambdaContext } from './entry';
import { batchResponse } from './sqs';

/**
 * The engagement queue (SES events from the configuration set's topic, raw delivery;
 * opens, clicks and web views from the reader routes): one domain call per batch.
 * A failure fails the whole batch: SQS delivers it again, and events recorded the
 * first time are recognised by their ids.
 */
export const makeSesEventsHandler = (ctx: AppContext) => (event: SQSEvent) =>
  recordEngagementBatch(
    ctx.engagement,
    event.Records.map((r) => {
      try {
        return JSON.parse(r.body) as unknown;
      } catch {
        return undefined; // counted as ignored: one bad body never fails the batch
      }
    }),
  );

/**
 * The Lambda: the batch's counts go to the log; the answer is the SQS event source's
 * (ReportBatchItemFailures is on): no item failed, or the thrown error retries them all.
 */
export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  const ctx = await lambdaContext({}, context);
  const counts = await makeSesEventsHandler(ctx)(event);
  ctx.log.info('engagement batch recorded', { ...counts });
  return batchResponse([]);
}
