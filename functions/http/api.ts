import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MissiveError, ValidationError } from '../core/errors';
import type { Logger } from '../core/log';

/** API Gateway HTTP API (payload 2.0) shapes: the local server builds and reads the same. */
export type ApiEvent = APIGatewayProxyEventV2;
export type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiHandler = (event: ApiEvent) => Promise<ApiResult>;

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

/**
 * Wraps a handler so that a user mistake becomes a 4xx JSON error with its one-line
 * message, and a defect becomes a 500 that says nothing of the internals (the stack
 * goes to the log, with the request id, never to the caller).
 */
export function withErrors(log: Logger, handler: ApiHandler): ApiHandler {
  return async (event) => {
    try {
      return await handler(event);
    } catch (error) {
      if (error instanceof MissiveError && error.httpStatus < 500) {
        return json(error.httpStatus, errorBody(error.code, error.message));
      }
      if (error instanceof MissiveError) {
        log.error('dependency failure', { route: event.routeKey, code: error.code, detail: error.message });
        return json(error.httpStatus, errorBody(error.code, 'a service is unavailable, try again shortly'));
      }
      log.error('unhandled error', {
        route: event.routeKey,
        requestId: event.requestContext?.requestId,
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
      return json(500, errorBody('internal', 'internal error; it has been logged'));
    }
  };
}

/**
 * The longest path parameter read (UTF-8 bytes): ids, post codes and signed link tokens
 * are far shorter, and DynamoDB refuses a key over 2,048 bytes (a sort key over 1,024)
 * with an error that would otherwise be a 500.
 */
export const MAX_PATH_PARAMETER_BYTES = 512;

/**
 * The event with its path parameters percent-decoded, once, before the access check
 * or a handler reads them (API Gateway and the local server pass them still encoded).
 * A bad encoding or an over-long value is the caller's mistake: a 400 naming the parameter.
 */
export function decodePathParameters(event: ApiEvent): ApiEvent {
  if (!event.pathParameters) return event;
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.pathParameters)) {
    if (value === undefined) continue;
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw new ValidationError(`path parameter ${name}: not valid percent-encoding (UTF-8 as %XX)`);
    }
    if (Buffer.byteLength(decoded[name] ?? '') > MAX_PATH_PARAMETER_BYTES)
      throw new ValidationError(`path parameter ${name}: at most ${MAX_PATH_PARAMETER_BYTES} bytes`);
  }
  return { ...event, pathParameters: decoded };
}

/** The path parameter (already decoded by the pipeline); a missing one is a defect of the route table. */
export function pathParam(event: ApiEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new Error(`route ${event.routeKey} has no path parameter ${name}`);
  return value;
}
