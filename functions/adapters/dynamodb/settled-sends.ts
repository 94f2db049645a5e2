import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SettledSends } from '../../sending/consume';

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

  async settled(editionId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'editionId = :e AND #s <> :claimed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':e': editionId, ':claimed': 'claimed' },
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
