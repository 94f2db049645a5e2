import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Queue } from '../../sending/ports';

/** An SQS queue: messages as JSON, ten per SendMessageBatch call, partial failures sent again. */
export function sqsQueue<T>(sqs: SQSClient, url: string): Queue<T> {
  return {
    async send(messages) {
      for (let i = 0; i < messages.length; i += 10) {
        let entries = messages
          .slice(i, i + 10)
          .map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify(m) }));
        for (let attempt = 0; entries.length > 0; attempt++) {
          if (attempt > 5) throw new Error(`SQS refused ${entries.length} messages after retries`);
          const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
          const failed = new Set((out.Failed ?? []).map((f) => f.Id));
          entries = entries.filter((e) => failed.has(e.Id));
        }
      }
    },
  };
}
