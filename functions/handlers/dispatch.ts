import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { consumeDispatch } from '../sending/consume';
import type { DispatchMessage } from '../sending/model';
import { lambdaContext } from './entry';
import { batchResponse, delivered } from './sqs';

/** Dispatch: SQS dispatch queue → recipients of a variant, page by page, onto the send queues. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const ctx = await lambdaContext();
  const { failures } = await consumeDispatch(
    { ...ctx.sending.dispatch, log: ctx.log },
    delivered<DispatchMessage>(event),
  );
  return batchResponse(failures);
}
