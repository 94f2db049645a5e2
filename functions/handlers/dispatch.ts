import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { consumeDispatch } from '../sending/consume';
import type { DispatchMessage } from '../sending/model';
import { editionOf, lambdaContext } from './entry';
import { batchResponse, delivered } from './sqs';

/** Dispatch: SQS dispatch queue → recipients of a variant, page by page, onto the send queues. */
export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  const messages = delivered<DispatchMessage>(event);
  const ctx = await lambdaContext({}, context, editionOf(messages.map((m) => m.body)));
  const { failures } = await consumeDispatch({ ...ctx.sending.dispatch, log: ctx.log }, messages);
  return batchResponse(failures);
}
