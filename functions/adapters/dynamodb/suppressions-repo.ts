import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { normaliseEmail, type Suppression } from '../../core/model';
import type { SuppressionRepository } from '../../core/ports';

/** suppressions table: pk=<normalised address>; gsi1pk=<reason> gsi1sk=<at> (index byReason). */
export class DynamoSuppressionRepository implements SuppressionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(s: Suppression): Promise<void> {
    const email = normaliseEmail(s.email);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: email, ...s, email, gsi1pk: s.reason, gsi1sk: `${s.at}#${email}` },
      }),
    );
  }

  async get(email: string): Promise<Suppression | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: normaliseEmail(email) } }),
    );
    if (!out.Item) return undefined;
    const { email: address, reason, at, detail } = out.Item as Suppression;
    return { email: address, reason, at, ...(detail ? { detail } : {}) };
  }

  async suppressedAmong(emails: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const unique = [...new Set(emails.map(normaliseEmail))];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((pk) => ({ pk }));
      // BatchGetItem may return part of the keys as unprocessed: ask again for those.
      for (let attempt = 0; keys && keys.length > 0 && attempt < 8; attempt++) {
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ProjectionExpression: 'pk' } } }),
        );
        for (const item of out.Responses?.[this.table] ?? []) found.add(item.pk as string);
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
      }
      if (keys && keys.length > 0) throw new Error('suppression lookup left keys unprocessed after retries');
    }
    return found;
  }
}
