import { UnavailableError } from '../core/errors';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);

/** True when the error means the service could not be reached at all (not a service answer). */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? '';
  if (NETWORK_CODES.has(code)) return true;
  if (error.name === 'TimeoutError') return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isNetworkError(cause);
}

interface MiddlewareStackLike {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string },
  ): void;
}

/**
 * Makes an SDK client turn "cannot connect" into an UnavailableError that names the
 * service, the endpoint and what to do, instead of a socket error and a stack trace.
 */
export function explainUnreachable(
  client: { middlewareStack: unknown },
  service: string,
  endpoint: string | undefined,
  /** The setting that chose the endpoint, named in the message so a person knows what to change. */
  variable?: string,
): void {
  // Any SDK v3 client's stack takes an initialize-step middleware; the narrow type avoids
  // depending on @smithy/types directly.
  (client.middlewareStack as MiddlewareStackLike).add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!isNetworkError(error)) throw error;
        const where = endpoint ?? 'its AWS endpoint';
        const hint = endpoint
          ? ` (start the local stack with \`npm start\`, or set ${variable ?? 'the endpoint'} to where it runs; \`missive status\` shows which stack a command talks to)`
          : '';
        throw new UnavailableError(`cannot reach ${service} at ${where}${hint}`, { cause: error });
      }
    },
    { step: 'initialize', name: 'missiveExplainUnreachable' },
  );
}
