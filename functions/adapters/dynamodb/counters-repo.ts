import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Counters, CounterValues } from '../../core/counters';
import { queryAll } from './paging';

/**
 * stats table: pk=<scope>, sk=SHARD#<00..15>. Each add goes to a random shard in one
 * UpdateItem (ADD per counter, SET lastChangeAt), so a scope written a thousand times
 * a second is spread over 16 items (DynamoDB's per-item limit is about 1,000 writes/s);
 * a read sums the shards in one Query.
 */
export class DynamoCounters implements Counters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly shards = 16,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(scope: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, v]) => v !== 0 && Number.isFinite(v));
    if (entries.length === 0) return;
    const shard = String(Math.floor(Math.random() * this.shards)).padStart(2, '0');
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: scope, sk: `SHARD#${shard}` },
        UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')} SET lastChangeAt = :now`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([, v], i) => [`:c${i}`, v])),
          ':now': this.now().toISOString(),
        },
      }),
    );
  }

  async read(scope: string): Promise<CounterValues> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :shard)',
      ExpressionAttributeValues: { ':pk': scope, ':shard': 'SHARD#' },
    });
    const counts: Record<string, number> = {};
    let lastChangeAt: string | undefined;
    for (const item of items) {
      if (typeof item.lastChangeAt === 'string' && item.lastChangeAt > (lastChangeAt ?? '')) {
        lastChangeAt = item.lastChangeAt;
      }
      for (const [k, v] of Object.entries(item)) {
        if (k !== 'pk' && k !== 'sk' && typeof v === 'number') counts[k] = (counts[k] ?? 0) + v;
      }
    }
    return { counts, ...(lastChangeAt ? { lastChangeAt } : {}) };
  }
}
