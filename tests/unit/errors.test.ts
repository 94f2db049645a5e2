import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { explainUnreachable } from '../../functions/adapters/aws-errors';
import { NotFoundError, UnavailableError, ValidationError } from '../../functions/core/errors';

describe('errors a person can act on', () => {
  it('carry their own name and keep the error they explain', () => {
    const cause = new Error('socket hang up');
    const e = new ValidationError('to: give 1 to 10 addresses', { cause });
    expect(e.name).toBe('ValidationError');
    expect(String(e)).toBe('ValidationError: to: give 1 to 10 addresses');
    expect(e.cause).toBe(cause);
    expect(new NotFoundError('no post "x"').name).toBe('NotFoundError');
  });

  it('an unreachable service names itself and keeps the network error as the cause', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    const client = new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    explainUnreachable(client, 'DynamoDB', 'http://127.0.0.1:9');
    const error = await client.send(new ListTablesCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/^cannot reach DynamoDB at http:\/\/127\.0\.0\.1:9/);
    expect((error as Error & { code?: string }).cause).toBeInstanceOf(Error);
  });
});
