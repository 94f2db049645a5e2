import { issueLocalToken } from '../adapters/auth/staff-tokens';
import type { AppContext } from '../app';
import type { Actor } from '../core/access';
import {
  ConfigError,
  ConflictError,
  ForbiddenError,
  type MissiveError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../core/errors';
import { ROLES } from '../core/roles';

/**
 * A use case that needs the running local stack's own queues (they live in its
 * process) is asked of its HTTP API, as the person running the command: a staff
 * token signed with the stack's key names them, so the audit trail does too.
 */
export async function callLocalApi<T>(
  ctx: AppContext,
  actor: Actor,
  post: string,
  method: string,
  path: string,
  /** A JSON request body, if the route takes one. */
  body?: unknown,
): Promise<T> {
  const secret = ctx.settings.signingKeys[0]?.secret;
  if (!secret)
    throw new ConfigError(
      "no signing key for the local stack: it is in <data dir>/local-signing-key (default .data/); set MISSIVE_SIGNING_KEYS to that file's content, or start the stack with `npm start`",
    );
  const token = await issueLocalToken(secret, {
    subject: actor.id,
    // Post roles are granted on this post only; network roles (admin, HQ) stand alone.
    grants: ROLES.filter((r) => actor.roles.includes(r)).map((role) =>
      role.startsWith('post-') ? { role, post } : { role },
    ),
    ttlSeconds: 120,
  });
  const url = `${ctx.settings.publicBaseUrl}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new UnavailableError(
      `cannot reach the local stack's API at ${ctx.settings.publicBaseUrl} (start it with \`npm start\`, or set MISSIVE_PUBLIC_BASE_URL)`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as { status?: string; error?: { message?: string } };
  if (res.ok) return answer as T;
  if (res.status === 503 && answer.status === 'starting') {
    throw new UnavailableError(
      `the local stack at ${ctx.settings.publicBaseUrl} is still starting (seeding, first content sync): try again in a moment`,
    );
  }
  if (res.status === 401) {
    // The person gave no token: what failed is the key the CLI signed with.
    throw new ConfigError(
      `the stack at ${ctx.settings.publicBaseUrl} refused the CLI's signature (${answer.error?.message ?? 'unauthenticated'}): its key differs; set MISSIVE_SIGNING_KEYS to the content of its <data dir>/local-signing-key`,
    );
  }
  const message = answer.error?.message ?? `${method} ${path} answered ${res.status}`;
  const errors: Record<number, new (m: string) => MissiveError> = {
    400: ValidationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
  };
  throw new (errors[res.status] ?? UnavailableError)(message);
}
