import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { decodeBase64url } from '../../core/base64url';
import { ValidationError } from '../../core/errors';
import type { KeyAttribute, TableDefinition } from './tables';

type Key = Record<string, unknown>;

/**
 * What a query's LastEvaluatedKey looks like, so that a cursor given back can be
 * checked before DynamoDB sees it (DynamoDB answers a key of another shape, or one
 * outside the key condition, with a ValidationException: a 500 for the caller).
 */
export interface CursorShape {
  /** Every attribute of the key, with its type: the table's key, plus the index's. */
  readonly attributes: readonly KeyAttribute[];
  /** The partition key value of the query (a cursor of another list is refused). */
  readonly partition?: { readonly name: string; readonly value: string };
  /** The sort key condition of the query, as the strings it compares with. */
  readonly sort?: {
    readonly name: string;
    readonly prefix?: string;
    readonly from?: string;
    readonly to?: string;
  };
}

/** The key attributes of a query on a table, or on one of its indexes. */
export function keyAttributes<T extends TableDefinition>(
  table: T,
  index?: T['indexes'][number]['name'],
): KeyAttribute[] {
  const own = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  const def = index === undefined ? undefined : table.indexes.find((i) => i.name === index);
  if (index !== undefined && !def) throw new Error(`table ${table.id} has no index ${index}`);
  const extra = def ? [def.partitionKey, ...(def.sortKey ? [def.sortKey] : [])] : [];
  return [...own, ...extra.filter((a) => !own.some((o) => o.name === a.name))];
}

/** Opaque page cursor: the LastEvaluatedKey, base64url-encoded. */
export const encodeCursor = (key: Key | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

const MAX_CURSOR = 4096;

const fits = (value: unknown, type: KeyAttribute['type']) =>
  type === 'S'
    ? typeof value === 'string' && value !== ''
    : typeof value === 'number' && Number.isFinite(value);

function inShape(key: Key, shape: CursorShape): boolean {
  const names = Object.keys(key);
  if (names.length !== shape.attributes.length) return false;
  if (!shape.attributes.every((a) => Object.hasOwn(key, a.name) && fits(key[a.name], a.type))) return false;
  if (shape.partition && key[shape.partition.name] !== shape.partition.value) return false;
  const sort = shape.sort;
  if (sort) {
    const value = key[sort.name];
    if (typeof value !== 'string') return false;
    if (sort.prefix !== undefined && !value.startsWith(sort.prefix)) return false;
    if (sort.from !== undefined && value < sort.from) return false;
    if (sort.to !== undefined && value > sort.to) return false;
  }
  return true;
}

/**
 * The ExclusiveStartKey for a cursor given back by a caller, or a 400 naming the
 * cursor: canonical base64url of a JSON object with exactly the query's key
 * attributes, of their types, within the query's key condition.
 */
export function decodeCursor(cursor: string | undefined, shape: CursorShape): Key | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const bytes = cursor.length <= MAX_CURSOR ? decodeBase64url(cursor) : undefined;
  let key: unknown;
  try {
    key = bytes ? JSON.parse(bytes.toString('utf8')) : undefined;
  } catch {
    key = undefined;
  }
  if (key && typeof key === 'object' && !Array.isArray(key) && inShape(key as Key, shape)) return key as Key;
  throw new ValidationError(
    'cursor: not a cursor of this list; pass back the cursor of the previous page unchanged',
  );
}

export const clampLimit = (limit: number | undefined, fallback = 100, max = 1000): number => {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit must be a positive integer');
  return Math.min(limit, max);
};

const BATCH = 25;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes items in batches of 25, retrying unprocessed items with backoff until all
 * are written (BatchWriteItem may accept part of a batch under load).
 */
export async function batchPut(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  onBatch?: (written: number) => void,
  maxRetries = 8,
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    let requests = items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > maxRetries) {
        throw new Error(
          `batch write to ${tableName} left ${requests.length} items unprocessed after retries`,
        );
      }
      if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
    onBatch?.(Math.min(i + BATCH, items.length));
  }
}

/**
 * Reads items by key, 100 per BatchGetItem, asking again for the keys DynamoDB left
 * unprocessed until none is left.
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: { projection?: string; names?: Record<string, string> } = {},
  maxRetries = 8,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > maxRetries)
        throw new Error(`batch read of ${tableName} left ${pending.length} keys unprocessed`);
      if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
      const out: BatchGetCommandOutput = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
            },
          },
        }),
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = out.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
}

/** Runs a conditional write; false when its condition failed (the item was not as expected). */
export async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Every item of a Query, following LastEvaluatedKey page after page. */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
