import { type Session, saveSession, session } from './api';
import { appConfig, type CognitoConfig } from './config';
import {
  authorizeUrl,
  challengeOf,
  logoutUrl,
  randomToken,
  refreshRequest,
  revokeRequest,
  type TokenAnswer,
  tokenRequest,
  userFromTokens,
} from './oauth';

/**
 * Signing in on AWS: Cognito's hosted UI, authorization code with PKCE S256. The
 * verifier and the state wait in sessionStorage (this tab only) while the person is
 * on the hosted UI; the access token is kept in sessionStorage as the local sign-in
 * keeps its token (api.ts). Locally (config.json says "local") the demo people's
 * page signs in instead (pages/sign-in.ts).
 */

const PENDING = 'missive.sign-in';

interface Pending {
  readonly verifier: string;
  readonly state: string;
}

/** To the hosted UI: a new verifier and state for this attempt, the challenge in the URL. */
export async function startSignIn(config: CognitoConfig): Promise<void> {
  const pending: Pending = { verifier: randomToken(), state: randomToken() };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(authorizeUrl(config, await challengeOf(pending.verifier), pending.state));
}

/** Whether this page load is the hosted UI's answer (`?code=...&state=...` or `?error=...`). */
export const isSignInAnswer = (search: URLSearchParams) => search.has('code') || search.has('error');

function takePending(): Pending | undefined {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  try {
    return raw ? (JSON.parse(raw) as Pending) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hosted UI's answer: the state checked against this tab's attempt (a code from
 * someone else's attempt is refused), the code exchanged at /oauth2/token with the
 * verifier, the session saved. The code and state leave the address bar either way.
 */
export async function finishSignIn(config: CognitoConfig, search: URLSearchParams): Promise<Session> {
  const pending = takePending();
  history.replaceState(null, '', location.pathname);
  const error = search.get('error');
  if (error) throw new Error(`sign-in: ${search.get('error_description') ?? error}`);
  const code = search.get('code');
  if (!code || !pending || search.get('state') !== pending.state) {
    throw new Error('sign-in: this answer is not for this tab’s sign-in (state): sign in again');
  }
  const res = await fetch(...tokenRequest(config, code, pending.verifier));
  const answer = (await res.json().catch(() => ({}))) as TokenAnswer & { error?: string };
  if (!res.ok)
    throw new Error(`sign-in: the code was refused (${answer.error ?? res.status}): sign in again`);
  const session = userFromTokens(answer);
  saveSession(session);
  return session;
}

/**
 * A new access token from the refresh token (api.ts asks when the API answers 401).
 * Cognito answers no new refresh token: the one held is kept. Undefined when refused
 * (revoked, or past its validity): the person signs in again.
 */
export async function refreshSession(config: CognitoConfig, expired: Session): Promise<Session | undefined> {
  if (!expired.refreshToken) return undefined;
  const res = await fetch(...refreshRequest(config, expired.refreshToken));
  if (!res.ok) return undefined;
  const answer = (await res.json()) as TokenAnswer;
  const renewed = userFromTokens({ ...answer, refresh_token: answer.refresh_token ?? expired.refreshToken });
  saveSession(renewed);
  return renewed;
}

/** Forgets the session here, and on AWS at the hosted UI too (else it would sign the person straight back in). */
export async function signOut(): Promise<void> {
  const held = session()?.refreshToken;
  saveSession(undefined);
  const config = await appConfig();
  if (config.mode === 'cognito') {
    // Revoked, a copy of the refresh token is worth nothing; a failed revoke still signs out.
    if (held) await fetch(...revokeRequest(config, held)).catch(() => undefined);
    location.assign(logoutUrl(config));
  } else location.hash = '#/sign-in';
}
