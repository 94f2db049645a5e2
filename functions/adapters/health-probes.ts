import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';
import type { HealthProbe } from '../core/ports';
import { missingTables } from './dynamodb/provision';
import type { TableNames } from './dynamodb/tables';

/** On AWS: DescribeTable on each table (the function is granted exactly that; ListTables would need "*"). */
export const describeTablesProbe = (client: DynamoDBClient, tables: TableNames): HealthProbe => ({
  name: 'dynamodb',
  async check() {
    await Promise.all(
      Object.values(tables).map((TableName) => client.send(new DescribeTableCommand({ TableName }))),
    );
  },
});

export const dynamoProbe = (client: DynamoDBClient, tables: TableNames): HealthProbe => ({
  name: 'dynamodb',
  async check() {
    const missing = await missingTables(client, tables);
    if (missing.length > 0) throw new Error(`tables missing: ${missing.join(', ')}`);
  },
});

/** On AWS: the account answers GetSendQuota (credentials, region and permission are right). */
export const sesQuotaProbe = (client: SESClient): HealthProbe => ({
  name: 'ses',
  async check() {
    await client.send(new GetSendQuotaCommand({}));
  },
});

/** The local SES stand-in has no GetSendQuota; it has a health-check page. */
export const localSesProbe = (endpoint: string): HealthProbe => ({
  name: 'ses',
  async check() {
    const res = await fetch(`${endpoint}/health-check`, { signal: AbortSignal.timeout(2000) }).catch(() => {
      throw new Error(`cannot reach the local SES server at ${endpoint}`);
    });
    if (!res.ok) throw new Error(`local SES server answered ${res.status}`);
  },
});
