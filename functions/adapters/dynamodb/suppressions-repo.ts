import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { normaliseEmail, type Suppression } from '../../core/model';
import type { SuppressionRepository } from '../../subscribers/ports';
import { batchGetAll } from './paging';

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
    const keys = [...new Set(emails.map(normaliseEmail))].map((pk) => ({ pk }));
    const items = await batchGetAll(this.doc, this.table, keys, { projection: 'pk' });
    return new Set(items.map((i) => i.pk as string));
  }
}
