import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditTrail } from '../../core/audit';
import type { Page, PageRequest } from '../../core/ports';
import { clampLimit, decodeCursor, encodeCursor, keyAttributes } from './paging';
import { TABLES } from './tables';

/** audit table: pk=POST#<code>|NETWORK sk=<at>#<id>; index byActor: gsi1pk=<actor> gsi1sk=<at>#<id>. */
const scopeKey = (post: string | undefined) => (post ? `POST#${post}` : 'NETWORK');

export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: scopeKey(entry.post),
          sk: `${entry.at}#${entry.id}`,
          gsi1pk: entry.actor,
          gsi1sk: `${entry.at}#${entry.id}`,
          entry,
        },
        // Entries are never overwritten: the trail only grows.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async list(post: string | undefined, page: PageRequest = {}): Promise<Page<AuditEntry>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': scopeKey(post) },
        ScanIndexForward: false,
        Limit: clampLimit(page.limit),
        ExclusiveStartKey: decodeCursor(page.cursor, {
          attributes: keyAttributes(TABLES.audit),
          partition: { name: 'pk', value: scopeKey(post) },
        }),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => i.entry as AuditEntry), ...(cursor ? { cursor } : {}) };
  }
}
