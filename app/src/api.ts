import type { Grant } from '../../functions/core/access';
import type { Edition, EditionSummary } from '../../functions/editions/model';
import type { SendProgress } from '../../functions/sending/model';
import { ApiError, apiPath } from './api-path';

/** The API's own types (type-only imports: nothing of the server is bundled). */
export type { Edition, EditionSummary, Grant, SendProgress };
export { ApiError, apiPath };

export interface StaffUser {
  readonly id: string;
  readonly name: string;
  readonly grants: readonly Grant[];
}

export interface Session {
  readonly token: string;
  /** On AWS: the hosted UI's refresh token, to renew the hour-long access token without signing in again. */
  readonly refreshToken?: string;
  readonly user: StaffUser;
}

const KEY = 'missive.session';

export function session(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return undefined;
  }
}
export const saveSession = (s: Session | undefined) =>
  s ? sessionStorage.setItem(KEY, JSON.stringify(s)) : sessionStorage.removeItem(KEY);

type Renewal = (expired: Session) => Promise<Session | undefined>;
let renewal: Renewal | undefined;
let renewing: Promise<Session | undefined> | undefined;
/** How a refused access token is renewed (auth.ts: the refresh token on AWS; nothing locally). */
export const onExpiredToken = (renew: Renewal) => {
  renewal = renew;
};

/** One renewal at a time: the calls of a page that all met the expired token wait for the same one. */
function renew(expired: Session): Promise<Session | undefined> {
  renewing ??= (renewal?.(expired) ?? Promise.resolve(undefined))
    .catch(() => undefined)
    .finally(() => {
      renewing = undefined;
    });
  return renewing;
}

async function call(method: string, path: string, body?: unknown, renewed = false): Promise<Response> {
  const s = session();
  const headers: Record<string, string> = {};
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // The access token expired under the person's hands (an hour on AWS): renew it and ask once more,
  // so what they were typing is not lost to a sign-in page.
  if (res.status === 401 && s?.refreshToken && !renewed && (await renew(s))) {
    return call(method, path, body, true);
  }
  if (!res.ok) {
    // The API's errors are JSON with a one-line message that names the field.
    let message = `${res.status} ${res.statusText}`;
    try {
      const e = (await res.json()) as { error?: { message?: string } };
      if (e.error?.message) message = e.error.message;
    } catch {}
    throw new ApiError(res.status, message);
  }
  return res;
}

export const getJson = async <T>(path: string): Promise<T> => (await call('GET', path)).json() as Promise<T>;
export const sendJson = async <T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> =>
  (await call(method, path, body)).json() as Promise<T>;
export const getText = async (path: string): Promise<string> => (await call('GET', path)).text();

export async function signIn(id: string): Promise<Session> {
  const s = await sendJson<Session>('POST', '/app/local/sign-in', { id });
  saveSession({ token: s.token, user: s.user });
  return s;
}
