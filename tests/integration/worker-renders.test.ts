import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sesMailer } from '../../functions/adapters/ses/mailer';
import { type AppContext, composeContext, MAIL } from '../../functions/app';
import { silentLogger } from '../../functions/core/log';
import type { Edition } from '../../functions/editions/model';
import { startSending } from '../../functions/sending/dispatch';
import type { Queues } from '../../functions/sending/ports';
import { processBatch } from '../../functions/sending/worker';
import { startDynalite } from '../helpers/dynalite';
import { post, subscriber, subscription } from '../helpers/fixtures';

let ctx: AppContext;
let stop: () => Promise<void>;
const edition = {
  id: 'ed_prepared',
  post: 'tokyo',
  title: 'Prepared',
  status: 'scheduled',
  sensitive: false,
  revision: 1,
  version: 1,
  createdBy: 'x',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
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
} as unknown as Edition;

beforeAll(async () => {
  ({ ctx, stop } = await startDynalite());
  await ctx.repos.posts.put(post('tokyo'));
  await ctx.repos.editions.create(edition);
  await ctx.repos.subscribers.create(subscriber('sub_reader', 'reader@example.org'));
  await ctx.repos.subscribers.putSubscription(subscription('sub_reader', 'tokyo', 'economic'));
});
afterAll(async () => stop());

describe('the send worker holds no renderer (its Lambda bundle has no MJML)', () => {
  it('sends an edition whose variants were rendered when sending started', async () => {
    const queued: unknown[] = [];
    const queue = { send: async (m: readonly unknown[]) => void queued.push(...m) };
    const queues = { dispatch: queue, send: queue, crisis: queue } as unknown as Queues;
    // Sending starts where a renderer is (the scheduler, send now, a crisis alert): every variant is rendered then.
    await startSending({ ...ctx.sending.dispatch, queues }, { id: 'scheduler', roles: [] }, edition);
    expect(queued).toHaveLength(1);

    // The send worker's context as its Lambda composes it: the mailer, no renderer.
    const worker = composeContext(ctx.settings, { log: silentLogger }, MAIL).sending.worker;
    const ses = new SESClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const mock = mockClient(ses);
    mock.on(SendRawEmailCommand).resolves({ MessageId: 'm-1' });
    const outcome = await processBatch(
      {
        ...worker,
        mailer: sesMailer(ses),
        links: { ...worker.links, keys: [{ id: 'k1', secret: 'a-test-signing-key-of-enough-length' }] },
        quota: { quota: async () => ({ maxSendRate: 100, max24HourSend: 0, sentLast24Hours: 0 }) },
      },
      {
        kind: 'send',
        editionId: edition.id,
        audience: 'economic',
        language: 'en',
        subscriberIds: ['sub_reader'],
      },
    );
    expect(outcome).toMatchObject({ complete: true, counts: { sent: 1 } });
    expect(mock.commandCalls(SendRawEmailCommand)).toHaveLength(1);

    // A deploy changes the render format mid-send: the send goes on with the stored render.
    const stored = await ctx.repos.editions.getRender(edition.id, 'economic', 'en');
    if (!stored) throw new Error('no stored render');
    await ctx.repos.editions.putRender(edition.id, { ...stored, format: 1 });
    await ctx.repos.subscribers.create(subscriber('sub_late', 'late@example.org'));
    await ctx.repos.subscribers.putSubscription(subscription('sub_late', 'tokyo', 'economic'));
    const fresh = composeContext(ctx.settings, { log: silentLogger }, MAIL).sending.worker;
    const later = await processBatch(
      {
        ...fresh,
        mailer: sesMailer(ses),
        links: { ...fresh.links, keys: [{ id: 'k1', secret: 'a-test-signing-key-of-enough-length' }] },
        quota: { quota: async () => ({ maxSendRate: 100, max24HourSend: 0, sentLast24Hours: 0 }) },
      },
      {
        kind: 'send',
        editionId: edition.id,
        audience: 'economic',
        language: 'en',
        subscriberIds: ['sub_late'],
      },
    );
    expect(later).toMatchObject({ complete: true, counts: { sent: 1 } });
    mock.restore();
  });
});
