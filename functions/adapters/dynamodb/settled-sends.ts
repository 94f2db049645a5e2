import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SettledCounts, SettledSends } from '../../sending/consume';

/**
 * Counts an edition's settled send records (every status but "claimed", overlaps
 * included) with a filtered Scan of the sends table. The scheduler asks only for a
 * stalled edition, at most once per stall window: an index by edition would put
 * every write of a send on one partition, which the table's key exists to avoid.
 */
export class DynamoSettledSends implements SettledSends {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async settled(editionId: string): Promise<SettledCounts> {
    const counts = { sent: 0, skipped: 0, failed: 0, overlaps: 0 };
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'editionId = :e AND #s <> :claimed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':e': editionId, ':claimed': 'claimed' },
          // Only the status: the final figures by kind, read once per stalled edition.
          ProjectionExpression: '#s',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const status = item.status as string;
        if (status === 'overlap') counts.overlaps++;
        else if (status === 'sent' || status === 'skipped' || status === 'failed') counts[status]++;
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return counts;
  }
}
