import type { Grant } from '../../functions/core/access';
import type { Edition, EditionSummary } from '../../functions/editions/model';
import type { SendProgress } from '../../functions/sending/model';

/** The API's own types (type-only imports: nothing of the server is bundled). */
export type { Edition, EditionSummary, Grant, SendProgress };

export interface StaffUser {
  readonly id: string;
  readonly name: string;
  readonly grants: readonly Grant[];
}

export interface Session {
  readonly token: string;
  readonly user: StaffUser;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
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

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const s = session();
  const headers: Record<string, string> = {};
  if (s) headers.authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
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
