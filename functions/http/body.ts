import type * as z from 'zod';
import { ValidationError } from '../core/errors';
import { parseInput } from '../core/validation';
import type { ApiEvent } from './api';

/**
 * The body exactly as sent, whatever its content type (SNS posts JSON as text/plain;
 * API Gateway may hand it over base64-encoded): for bodies checked byte for byte.
 */
export function rawBody(event: ApiEvent): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** The JSON body, or a 400 that says what is wrong with it. */
export function jsonBody(event: ApiEvent): unknown {
  if (!event.body) throw new ValidationError('the request needs a JSON body');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The JSON body checked against its schema, or a 400 naming the first wrong field
 * ("test-send: to: must be a list of addresses"). A request without a body is
 * checked as undefined, so a schema with `.optional()` makes the body optional.
 */
export function parseBody<S extends z.ZodType>(event: ApiEvent, schema: S, where: string): z.output<S> {
  const raw = event.body ? jsonBody(event) : undefined;
  if (raw === undefined && !schema.safeParse(undefined).success) {
    throw new ValidationError(`${where}: the request needs a JSON body`);
  }
  return parseInput(schema, raw, where);
}
