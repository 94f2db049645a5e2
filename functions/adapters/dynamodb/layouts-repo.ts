import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Layout, LayoutRepository } from '../../rendering/ports';

/** directory table: pk=LAYOUT#<name> sk=LAYOUT; gsi1pk=LAYOUTS gsi1sk=<name> (list). */
export class DynamoLayoutRepository implements LayoutRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(name: string): Promise<Layout | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `LAYOUT#${name}`, sk: 'LAYOUT' } }),
    );
    return out.Item?.layout as Layout | undefined;
  }

  async put(layout: Layout): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `LAYOUT#${layout.name}`, sk: 'LAYOUT', gsi1pk: 'LAYOUTS', gsi1sk: layout.name, layout },
      }),
    );
  }

  async list() {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :l',
        ExpressionAttributeValues: { ':l': 'LAYOUTS' },
      }),
    );
    return (out.Items ?? []).map((i) => {
      const { name, registeredBy, at } = i.layout as Layout;
      return { name, registeredBy, at };
    });
  }
}
