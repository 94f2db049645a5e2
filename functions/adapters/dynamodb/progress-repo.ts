import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { EMPTY_PROGRESS, type SendProgress } from '../../sending/model';
import type { ProgressStore } from '../../sending/ports';
import { conditional, queryAll } from './paging';

/**
 * stats table, scope EDITION#<id>:
 *   sk=SHARD#<00-15>   counters added to a random shard (no hot item at full rate)
 *   sk=STEP#<step>     one per dispatch step, written once with what it queued
 * Reading sums them all in one Query.
 */
const SHARDS = 16;
const COUNTERS = ['sent', 'skipped', 'failed', 'overlaps', 'dispatchPending'] as const;

export class DynamoProgressStore implements ProgressStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(editionId: string, delta: Partial<SendProgress>): Promise<void> {
    const entries = COUNTERS.filter((c) => delta[c]).map((c) => [c, delta[c] as number] as const);
    if (entries.length === 0) return;
    const shard = String(Math.floor(Math.random() * SHARDS)).padStart(2, '0');
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `EDITION#${editionId}`, sk: `SHARD#${shard}` },
        UpdateExpression: `ADD ${entries.map(([c]) => `#${c} :${c}`).join(', ')} SET lastChangeAt = :now`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([c]) => [`#${c}`, c])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(entries.map(([c, v]) => [`:${c}`, v])),
          ':now': new Date().toISOString(),
        },
      }),
    );
  }

  step(editionId: string, step: string, queued: number, duplicates: number): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `EDITION#${editionId}`, sk: `STEP#${step}`, queued, duplicates },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async note(editionId: string, text: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `EDITION#${editionId}`, sk: 'NOTE', note: text, noteAt: new Date().toISOString() },
      }),
    );
  }

  async read(editionId: string): Promise<SendProgress> {
    const totals: Record<string, number> = {
      ...(EMPTY_PROGRESS as Omit<SendProgress, 'lastChangeAt' | 'note'>),
    };
    let lastChangeAt: string | undefined;
    let note: { text: string; at: string } | undefined;
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `EDITION#${editionId}` },
    });
    for (const item of items) {
      if (item.sk === 'NOTE') note = { text: String(item.note), at: String(item.noteAt) };
      if (typeof item.lastChangeAt === 'string' && item.lastChangeAt > (lastChangeAt ?? '')) {
        lastChangeAt = item.lastChangeAt;
      }
      for (const k of [...COUNTERS, 'queued', 'duplicates']) {
        if (typeof item[k] === 'number') totals[k] = (totals[k] ?? 0) + (item[k] as number);
      }
    }
    // A note holds until the counters move again.
    const current = note && note.at >= (lastChangeAt ?? '') ? { note: note.text } : {};
    return { ...(totals as unknown as SendProgress), ...(lastChangeAt ? { lastChangeAt } : {}), ...current };
  }
}
