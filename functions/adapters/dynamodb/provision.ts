import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_IDS, TABLES, type TableDefinition, type TableId, type TableNames } from './tables';

/** CreateTable input for one table definition: what the local stack creates (CDK builds the same from TABLES). */
export function toCreateTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, string>();
  const keySchema = (pk: { name: string; type: string }, sk?: { name: string; type: string }) => {
    attributes.set(pk.name, pk.type);
    if (sk) attributes.set(sk.name, sk.type);
    return [
      { AttributeName: pk.name, KeyType: 'HASH' as const },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
    ];
  };
  const KeySchema = keySchema(def.partitionKey, def.sortKey);
  const GlobalSecondaryIndexes = def.indexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: index.projection },
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as 'S' | 'N',
    })),
    ...(GlobalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes } : {}),
  };
}

async function existingTables(client: DynamoDBClient): Promise<Set<string>> {
  const names = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) names.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** Creates the tables that do not exist yet; returns the ids of those it created. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<TableId[]> {
  const existing = await existingTables(client);
  const missing = TABLE_IDS.filter((id) => !existing.has(names[id]));
  for (const id of missing) {
    await client.send(new CreateTableCommand(toCreateTableInput(TABLES[id], names[id])));
  }
  for (const id of missing) {
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: names[id] });
  }
  return missing;
}

/** The table ids whose physical table is missing (for the health route). */
export async function missingTables(client: DynamoDBClient, names: TableNames): Promise<TableId[]> {
  const existing = await existingTables(client);
  return TABLE_IDS.filter((id) => !existing.has(names[id]));
}
