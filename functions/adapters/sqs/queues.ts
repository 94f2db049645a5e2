import { SQSClient } from '@aws-sdk/client-sqs';
import type { Settings } from '../../config/settings';
import { ConfigError } from '../../core/errors';
import type { EventQueue } from '../../engagement/ports';
import type { Queue, Queues } from '../../sending/ports';
import { explainUnreachable } from '../aws-errors';
import { sqsQueue } from './queue';

/** The SQS queues of the settings; a queue that is not configured fails when used, naming its setting. */
export function sqsQueues(settings: Settings): Queues & { readonly engagement: EventQueue } {
  let client: SQSClient | undefined;
  const queue = <T>(url: string | undefined, setting: string): Queue<T> => ({
    async send(messages) {
      if (!url)
        throw new ConfigError(`missing setting ${setting}: the SQS queue URL (or run the local stack)`);
      client ??= new SQSClient({ region: settings.region });
      explainUnreachable(client, 'SQS', undefined);
      await sqsQueue<T>(client, url).send(messages);
    },
  });
  return {
    dispatch: queue(settings.queues.dispatch, 'MISSIVE_DISPATCH_QUEUE_URL'),
    send: queue(settings.queues.send, 'MISSIVE_SEND_QUEUE_URL'),
    crisis: queue(settings.queues.crisis, 'MISSIVE_CRISIS_QUEUE_URL'),
    engagement: queue(settings.queues.engagement, 'MISSIVE_ENGAGEMENT_QUEUE_URL'),
  };
}
