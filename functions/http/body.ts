import { ValidationError } from '../core/errors';
import type { ApiEvent } from './api';

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
