import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Counters } from '../../core/counters';
import { EMPTY_PROGRESS, type SendProgress } from '../../sending/model';
import type { ProgressStore } from '../../sending/ports';
import { conditional, queryAll } from './paging';

/**
 * An edition's send progress, scope EDITION#<id> of the stats table:
 *   SHARD#<00-15>   its counters (the Counters port: sent, skipped, failed, overlaps,
 *                   dispatchPending, declined), added once per batch by the worker
 *   STEP#<step>     one per dispatch step, written once with what it queued (START:
 *                   the number of first steps, pending until each step is done)
 *   NOTE            why the send waits (daily quota), until the counters move again
 */
const COUNTERS = ['sent', 'skipped', 'failed', 'overlaps', 'dispatchPending', 'declined'] as const;
const scope = (editionId: string) => `EDITION#${editionId}`;

export class DynamoProgressStore implements ProgressStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly counters: Counters,
  ) {}

  async add(editionId: string, delta: Partial<SendProgress>): Promise<void> {
    const deltas: Record<string, number> = {};
    for (const c of COUNTERS) if (delta[c]) deltas[c] = delta[c];
    await this.counters.add(scope(editionId), deltas);
  }

  step(editionId: string, step: string, queued: number, duplicates: number, pending = 0): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: scope(editionId),
            sk: `STEP#${step}`,
            queued,
            duplicates,
            ...(pending ? { pending } : {}),
            at: new Date().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async note(editionId: string, text: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: scope(editionId), sk: 'NOTE', note: text, noteAt: new Date().toISOString() },
      }),
    );
  }

  async read(editionId: string): Promise<SendProgress> {
    const [counters, others] = await Promise.all([
      this.counters.read(scope(editionId)),
      queryAll(this.doc, {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        // NOTE and STEP#...: every item of the scope that is not a shard.
        ExpressionAttributeValues: { ':pk': scope(editionId), ':from': 'NOTE', ':to': 'STEP#\uffff' },
      }),
    ]);
    const totals: Record<string, number> = {
      ...(EMPTY_PROGRESS as Omit<SendProgress, 'lastChangeAt' | 'note' | 'started' | 'steps'>),
    };
    for (const c of COUNTERS) totals[c] = counters.counts[c] ?? 0;
    let lastChangeAt = counters.lastChangeAt;
    let note: { text: string; at: string } | undefined;
    let started = false;
    let steps = 0;
    for (const item of others) {
      if (item.sk === 'NOTE') note = { text: String(item.note), at: String(item.noteAt) };
      else if (item.sk === 'STEP#START') {
        started = true;
        // The first steps' count, written with the START itself: never one without the other.
        totals.dispatchPending = (totals.dispatchPending ?? 0) + Number(item.pending ?? 0);
      } else {
        steps++;
        totals.queued = (totals.queued ?? 0) + Number(item.queued ?? 0);
        totals.duplicates = (totals.duplicates ?? 0) + Number(item.duplicates ?? 0);
        // A dispatch step is progress too.
        if (typeof item.at === 'string' && item.at > (lastChangeAt ?? '')) lastChangeAt = item.at;
      }
    }
    // A note holds until the counters move again.
    const current = note && note.at >= (lastChangeAt ?? '') ? { note: note.text } : {};
    return {
      ...(totals as unknown as SendProgress),
      started,
      steps,
      ...(lastChangeAt ? { lastChangeAt } : {}),
      ...current,
    };
  }
}
