import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { MAIL, RENDERING } from '../app';
import { consumeSendBatches } from '../sending/consume';
import type { SendBatchMessage } from '../sending/model';
import { lambdaContext } from './entry';
import { batchResponse, delivered } from './sqs';

/** Send worker: SQS send and crisis queues → one SES message per recipient (ReportBatchItemFailures). */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const ctx = await lambdaContext({ ...RENDERING, ...MAIL });
  const { failures } = await consumeSendBatches(ctx.sending.worker, delivered<SendBatchMessage>(event));
  return batchResponse(failures);
}
