import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../functions/app';
import type { Counters } from '../../functions/core/counters';
import { processBatch } from '../../functions/sending/worker';
import { startDynalite } from '../helpers/dynalite';
import { post } from '../helpers/fixtures';

let ctx: AppContext;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ ctx, stop } = await startDynalite());
});
afterAll(async () => stop());

describe('counters (one port, sharded in DynamoDB)', () => {
  it('spreads a hot scope over shards and sums them exactly', async () => {
    await Promise.all(
      Array.from({ length: 200 }, () => ctx.counters.add('TEST#hot', { sent: 1, skipped: 2 })),
    );
    expect((await ctx.counters.read('TEST#hot')).counts).toEqual({ sent: 200, skipped: 400 });
    const items = await ctx.dynamo.doc.send(
      new QueryCommand({
        TableName: ctx.settings.tables.stats,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'TEST#hot' },
      }),
    );
    // 200 writes over 16 shards: several items take them, not one.
    expect(items.Items?.length).toBeGreaterThan(8);
  });

  it("keeps each scope's last change apart: engagement written later does not move a send's", async () => {
    await ctx.counters.add('EDITION#ed_quiet', { sent: 3 });
    const before = await ctx.dynamo.doc.send(
      new QueryCommand({
        TableName: ctx.settings.tables.stats,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'EDITION#ed_quiet' },
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    await ctx.counters.add('ENGAGEMENT#ed_quiet', { opens: 1 });
    const progress = await ctx.sending.dispatch.progress.read('ed_quiet');
    expect(progress.sent).toBe(3);
    expect(progress.lastChangeAt).toBe(before.Items?.[0]?.lastChangeAt);
  });

  it('lets the send worker write its progress once per batch, not once per recipient', async () => {
    const writes: Record<string, number>[] = [];
    const spy: Counters = {
      add: async (scope, deltas) => {
        writes.push(deltas as Record<string, number>);
        await ctx.counters.add(scope, deltas);
      },
      read: (scope) => ctx.counters.read(scope),
    };
    const { DynamoProgressStore } = await import('../../functions/adapters/dynamodb/progress-repo');
    const progress = new DynamoProgressStore(ctx.dynamo.doc, ctx.settings.tables.stats, spy);
    // 50 ids nobody is subscribed with: each is settled (skipped) and counted.
    const ids = Array.from({ length: 50 }, (_, i) => `sub_nobody${i}`);
    const tokyo = post('tokyo');
    await ctx.repos.posts.put(tokyo);
    await ctx.repos.editions.create({
      id: 'ed_batch',
      post: 'tokyo',
      title: 'Batch',
      status: 'sending',
      sensitive: false,
      revision: 1,
      version: 1,
      createdBy: 'x',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      variants: [
        {
          audience: tokyo.audiences[0]?.id,
          language: tokyo.defaultLanguage,
          subject: 'S',
          preheader: '',
          intro: 'Hi',
          blocks: [{ type: 'local', title: 'T', text: 'x' }],
        },
      ],
    } as never);
    const outcome = await processBatch(
      {
        ...ctx.sending.worker,
        progress,
        quota: { quota: async () => ({ maxSendRate: 100, max24HourSend: 0, sentLast24Hours: 0 }) },
      },
      {
        kind: 'send',
        editionId: 'ed_batch',
        audience: tokyo.audiences[0]?.id ?? '',
        language: tokyo.defaultLanguage,
        subscriberIds: ids,
      },
    );
    expect(outcome.counts).toMatchObject({ skipped: 50 });
    expect(writes).toEqual([{ skipped: 50 }]);
    expect((await progress.read('ed_batch')).skipped).toBe(50);
  });
});
