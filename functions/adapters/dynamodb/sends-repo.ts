import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SendRecord } from '../../sending/model';
import type { SendRecords } from '../../sending/ports';
import { batchGetAll, conditional } from './paging';

/**
 * sends table: pk=<editionId>#<subscriberId> (writes spread over partitions at full
 * send rate); sparse index failures: gsi1pk=FAILED#<editionId>.
 */
const key = (editionId: string, subscriberId: string) => ({ pk: `${editionId}#${subscriberId}` });

export class DynamoSendRecords implements SendRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  claim(editionId: string, subscriberId: string, audience: string, at: string): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key(editionId, subscriberId),
            editionId,
            subscriberId,
            audience,
            status: 'claimed',
            claimedAt: at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  overlap(editionId: string, subscriberId: string, audience: string): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `${editionId}#${subscriberId}@${audience}`,
            editionId,
            subscriberId,
            audience,
            status: 'overlap',
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(editionId: string, subscriberIds: readonly string[]): Promise<Map<string, SendRecord>> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      [...new Set(subscriberIds)].map((id) => key(editionId, id)),
    );
    return new Map(items.map((i) => [i.subscriberId as string, i as unknown as SendRecord]));
  }

  reclaim(editionId: string, subscriberId: string, previousClaimAt: string, at: string): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(editionId, subscriberId),
          UpdateExpression: 'SET claimedAt = :at',
          ConditionExpression: '#s = :claimed AND claimedAt = :prev',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':at': at, ':prev': previousClaimAt, ':claimed': 'claimed' },
        }),
      ),
    );
  }

  /** Settles a claim; false when it was settled already (by another delivery of the batch). */
  mark(
    editionId: string,
    subscriberId: string,
    status: 'sent' | 'skipped' | 'failed',
    detail: { messageId?: string; reason?: string },
  ): Promise<boolean> {
    const now = new Date().toISOString();
    const sets = ['#s = :s', 'doneAt = :now'];
    if (detail.messageId) sets.push('messageId = :m');
    if (detail.reason) sets.push('reason = :r');
    if (status === 'failed') sets.push('gsi1pk = :f', 'gsi1sk = :now');
    return conditional(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(editionId, subscriberId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#s = :claimed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':s': status,
            ':now': now,
            ':claimed': 'claimed',
            ...(detail.messageId ? { ':m': detail.messageId } : {}),
            ...(detail.reason ? { ':r': detail.reason } : {}),
            ...(status === 'failed' ? { ':f': `FAILED#${editionId}` } : {}),
          },
        }),
      ),
    );
  }

  async release(editionId: string, subscriberId: string, claimedAt: string): Promise<void> {
    await conditional(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: key(editionId, subscriberId),
          ConditionExpression: '#s = :claimed AND claimedAt = :at',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':at': claimedAt },
        }),
      ),
    );
  }
}
