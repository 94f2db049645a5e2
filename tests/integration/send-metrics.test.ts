import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sesMailer } from '../../functions/adapters/ses/mailer';
import type { AppContext } from '../../functions/app';
import type { BatchMetrics } from '../../functions/sending/ports';
import { processBatch } from '../../functions/sending/worker';
import { startDynalite } from '../helpers/dynalite';
import { post, subscriber, subscription } from '../helpers/fixtures';

let ctx: AppContext;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ ctx, stop } = await startDynalite());
  const tokyo = post('tokyo');
  await ctx.repos.posts.put(tokyo);
  for (const [id, priority] of [
    ['ed_metrics', undefined],
    ['ed_alert', 'crisis'],
  ] as const) {
    await ctx.repos.editions.create({
      id,
      post: 'tokyo',
      title: 'Metrics',
      status: 'sending',
      sensitive: false,
      revision: 1,
      version: 1,
      createdBy: 'x',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      ...(priority ? { priority } : {}),
      variants: [
        {
          audience: 'economic',
          language: 'en',
          subject: 'S',
          preheader: '',
          intro: 'Hi',
          blocks: [{ type: 'local', title: 'T', text: 'x' }],
        },
      ],
    } as never);
  }
  await ctx.repos.subscribers.create(subscriber('sub_reader', 'reader@example.org'));
  await ctx.repos.subscribers.putSubscription(subscription('sub_reader', 'tokyo', 'economic'));
});
afterAll(async () => stop());

/** The worker with its metrics kept here, SES answering as `ses` does, and no waiting between retries. */
function worker(seen: BatchMetrics[], ses?: SESClient) {
  return {
    ...ctx.sending.worker,
    ...(ses ? { mailer: sesMailer(ses) } : {}),
    links: {
      ...ctx.sending.worker.links,
      keys: [{ id: 'k1', secret: 'a-test-signing-key-of-enough-length' }],
    },
    metrics: { batch: (m: BatchMetrics) => seen.push(m) },
    quota: { quota: async () => ({ maxSendRate: 100, max24HourSend: 0, sentLast24Hours: 0 }) },
    sleep: async () => {},
  };
}

describe("the send worker's metrics (CloudWatch EMF on Lambda)", () => {
  it('counts each batch: skipped people, by post and kind', async () => {
    const seen: BatchMetrics[] = [];
    const ids = Array.from({ length: 5 }, (_, i) => `sub_nobody${i}`);
    await processBatch(worker(seen), {
      kind: 'send',
      editionId: 'ed_metrics',
      audience: 'economic',
      language: 'en',
      subscriberIds: ids,
    });
    expect(seen).toEqual([
      { post: 'tokyo', kind: 'newsletter', sent: 0, failed: 0, skipped: 5, throttled: 0 },
    ]);
  });

  // SES's Throttling for one message then acceptance: aws-sdk-client-mock, as the local gate throttles by rate only.
  it("counts SES's Throttling answers apart from the message that went out after them", async () => {
    const ses = new SESClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const mock = mockClient(ses);
    const throttling = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
    mock
      .on(SendRawEmailCommand)
      .rejectsOnce(throttling)
      .rejectsOnce(throttling)
      .resolves({ MessageId: 'm-1' });
    const seen: BatchMetrics[] = [];
    await processBatch(worker(seen, ses), {
      kind: 'send',
      editionId: 'ed_alert',
      audience: 'economic',
      language: 'en',
      subscriberIds: ['sub_reader'],
    });
    expect(seen).toEqual([{ post: 'tokyo', kind: 'crisis', sent: 1, failed: 0, skipped: 0, throttled: 2 }]);
    mock.restore();
  });
});
