import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { explainUnreachable } from '../aws-errors';

export interface DynamoClientOptions {
  readonly region: string;
  /** A local DynamoDB-compatible server; undefined on AWS. */
  readonly endpoint: string | undefined;
  readonly maxAttempts?: number;
}

/** The low-level client and the document client over it, pointed at AWS or a local server. */
export function createDynamoClients(options: DynamoClientOptions): {
  raw: DynamoDBClient;
  doc: DynamoDBDocumentClient;
} {
  const raw = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // The local server accepts any signature; real credentials are never needed there.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  explainUnreachable(raw, 'DynamoDB', options.endpoint, 'MISSIVE_DYNAMODB_ENDPOINT');
  const doc = DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { raw, doc };
}
