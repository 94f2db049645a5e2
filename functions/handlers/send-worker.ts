import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { MAIL, METRICS } from '../app';
import { consumeSendBatches } from '../sending/consume';
import type { SendBatchMessage } from '../sending/model';
import { editionOf, lambdaContext } from './entry';
import { batchResponse, delivered } from './sqs';

/**
 * Send worker: SQS send and crisis queues → one SES message per recipient (ReportBatchItemFailures).
 * No renderer: it sends the renders stored when sending started (DispatchDeps.prepare).
 */
export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  const messages = delivered<SendBatchMessage>(event);
  const ctx = await lambdaContext({ ...MAIL, ...METRICS }, context, editionOf(messages.map((m) => m.body)));
  const { failures } = await consumeSendBatches(ctx.sending.worker, messages);
  return batchResponse(failures);
}
