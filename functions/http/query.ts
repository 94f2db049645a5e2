import { ValidationError } from '../core/errors';
import type { PageRequest } from '../core/ports';
import type { ApiEvent } from './api';

/** ?limit=&cursor= as a PageRequest, with a clear 400 for a bad limit. */
export function pageRequest(event: ApiEvent): PageRequest {
  const q = event.queryStringParameters ?? {};
  let limit: number | undefined;
  if (q.limit !== undefined) {
    limit = Number(q.limit);
    if (!/^\d+$/.test(q.limit) || limit < 1 || limit > 1000) {
      throw new ValidationError('limit must be a whole number from 1 to 1000');
    }
  }
  return { ...(limit ? { limit } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) };
}

/** One of the allowed values, or a 400 naming the parameter and the values. */
export function oneOf<T extends string>(event: ApiEvent, name: string, values: readonly T[]): T | undefined {
  const value = event.queryStringParameters?.[name];
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw new ValidationError(`${name} must be one of ${values.join(', ')}`);
  }
  return value as T;
}

/**
 * A 400 naming both ends when `from` is after `to`. `to` covers the whole day or time
 * it names (2026-11-25 includes 2026-11-25T18:00), as the content query reads it.
 */
export function assertOrdered(
  from: string | undefined,
  to: string | undefined,
  names = ['from', 'to'],
): void {
  if (from === undefined || to === undefined || from <= to || from.startsWith(to)) return;
  throw new ValidationError(
    `${names[0]} (${from}) is after ${names[1]} (${to}): give ${names[0]} on or before ${names[1]}`,
  );
}
