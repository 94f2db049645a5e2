import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Delivered } from '../sending/consume';

/** SQS records as the consumers take them (JSON bodies), and their failures as SQS wants them back. */
export const delivered = <T>(event: SQSEvent): Delivered<T>[] =>
  event.Records.map((r) => ({ id: r.messageId, body: JSON.parse(r.body) as T }));

export const batchResponse = (failures: { id: string }[]): SQSBatchResponse => ({
  batchItemFailures: failures.map((f) => ({ itemIdentifier: f.id })),
});
