import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importSubscribers } from '../../functions/subscribers/import/import';
import type { SubscriberRepository, SuppressionRepository } from '../../functions/subscribers/ports';
import { post } from '../helpers/fixtures';

/** A store whose bulk write fails at its `failAt`-th call (a store down mid-import). */
function failingStore(failAt: number) {
  const written: string[] = [];
  let calls = 0;
  const subscribers = {
    subscriberIdsByEmail: async () => new Map<string, string>(),
    subscriptionStatuses: async () => new Map(),
    importMany: async (people: { subscriber: { email: string } }[]) => {
      calls++;
      if (calls === failAt) throw new Error('store unavailable');
      written.push(...people.map((p) => p.subscriber.email));
    },
  } as unknown as SubscriberRepository;
  const suppressions = { suppressedAmong: async () => new Set<string>() } as unknown as SuppressionRepository;
  return { subscribers, suppressions, written };
}

const csv = (n: number) =>
  `Email,Name\n${Array.from({ length: n }, (_, i) => `p${i}@example.org,P ${i}`).join('\n')}\n`;

describe("an import's writes, one batch behind its reads", () => {
  it('stops at a failed write with its error, and writes nothing after it', async () => {
    const store = failingStore(2);
    const run = importSubscribers(
      { ...store, personKey: 'k' },
      {
        post: post('tokyo'),
        audience: post('tokyo').audiences[0]?.id ?? '',
        format: 'csv',
        map: new Map(),
        dryRun: false,
        now: '2026-01-01T00:00:00.000Z',
        batchSize: 25,
      },
      [{ name: 'list.csv', open: async () => Readable.from([Buffer.from(csv(200))]) }],
    );
    // The store's error as it is, not a complaint about the file.
    await expect(run).rejects.toThrow(/^store unavailable$/);
    // One chunk of 25 written (the first batch), the second failed, none after: at most one batch was read ahead.
    expect(store.written).toHaveLength(25);
  });

  it('writes every row when the store answers', async () => {
    const store = failingStore(0);
    const report = await importSubscribers(
      { ...store, personKey: 'k' },
      {
        post: post('tokyo'),
        audience: post('tokyo').audiences[0]?.id ?? '',
        format: 'csv',
        map: new Map(),
        dryRun: false,
        now: '2026-01-01T00:00:00.000Z',
        batchSize: 25,
      },
      [{ name: 'list.csv', open: async () => Readable.from([Buffer.from(csv(200))]) }],
    );
    expect(report.imported).toBe(200);
    expect(new Set(store.written).size).toBe(200);
  });
});
