import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { batchPut } from '../../functions/adapters/dynamodb/paging';

// A local server never answers "unprocessed" or throttles: these paths need a mock.
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const mock = mockClient(doc);
afterEach(() => mock.reset());

const items = Array.from({ length: 30 }, (_, i) => ({ pk: `k${i}` }));

describe('batchPut', () => {
  it('writes again the items DynamoDB left unprocessed, until none is left', async () => {
    const leftOver = [{ PutRequest: { Item: { pk: 'k3' } } }];
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: leftOver } })
      .resolves({ UnprocessedItems: {} });
    const progress: number[] = [];
    await batchPut(doc, 't', items, (n) => progress.push(n));
    const calls = mock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(3); // 25, the one left over, then the last 5
    expect(calls[1]?.args[0].input.RequestItems?.t).toEqual(leftOver);
    expect(progress).toEqual([25, 30]);
  });

  it('gives up with a clear error when items stay unprocessed', async () => {
    mock
      .on(BatchWriteCommand)
      .resolves({ UnprocessedItems: { t: [{ PutRequest: { Item: { pk: 'k0' } } }] } });
    await expect(batchPut(doc, 't', items.slice(0, 1), undefined, 1)).rejects.toThrow(
      /batch write to t left 1 items unprocessed/,
    );
  });

  it('lets a throttling error through to the caller once the SDK has given up', async () => {
    mock
      .on(BatchWriteCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(batchPut(doc, 't', items)).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });
});
