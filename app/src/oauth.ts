import { base64url, decodeJwt } from 'jose';
import { type Grant, grantsFromGroups } from '../../functions/core/access';
import type { CognitoConfig } from './config';

/**
 * The pieces of the hosted UI's authorization code flow with PKCE (RFC 7636) that
 * need no browser: app/src/auth.ts keeps the verifier and state in sessionStorage
 * and moves between the pages. Tested in tests/unit/app-oauth.test.ts.
 */

/** 32 random bytes in base64url: 43 characters of RFC 7636's unreserved set (its minimum length). */
export function randomToken(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

/** S256: BASE64URL(SHA-256(ASCII(code_verifier))), RFC 7636 section 4.2. */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url.encode(new Uint8Array(digest));
}

/** The hosted UI's sign-in page for this client, with the code challenge and the state. */
export function authorizeUrl(config: CognitoConfig, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${config.authority}/oauth2/authorize?${query}`;
}

/** A form POST to the hosted UI (its token and revoke endpoints take form-encoded bodies). */
const formPost = (url: string, fields: Record<string, string>): [string, RequestInit] => [
  url,
  {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  },
];

/** POST /oauth2/token: the code for tokens, proven by the verifier (a public client: no secret). */
export const tokenRequest = (config: CognitoConfig, code: string, verifier: string) =>
  formPost(`${config.authority}/oauth2/token`, {
    grant_type: 'authorization_code',
    client_id: config.clientId,
    code,
    redirect_uri: config.redirectUri,
    code_verifier: verifier,
  });

/** POST /oauth2/token with the refresh token: a new access token when the hour is up (Cognito keeps the refresh token). */
export const refreshRequest = (config: CognitoConfig, refreshToken: string) =>
  formPost(`${config.authority}/oauth2/token`, {
    grant_type: 'refresh_token',
    client_id: config.clientId,
    refresh_token: refreshToken,
  });

/** POST /oauth2/revoke: signing out ends the refresh token too, not only the hosted UI's cookie. */
export const revokeRequest = (config: CognitoConfig, refreshToken: string) =>
  formPost(`${config.authority}/oauth2/revoke`, { token: refreshToken, client_id: config.clientId });

/** The hosted UI's sign-out: it ends its own session, then comes back to the app. */
export function logoutUrl(config: CognitoConfig): string {
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
  return `${config.authority}/logout?${query}`;
}

export interface TokenAnswer {
  readonly access_token?: string;
  readonly id_token?: string;
  readonly refresh_token?: string;
}

/**
 * The person, for the app's pages: roles from the access token's groups (read the same
 * way as the API reads them, core/access.ts), the name from the ID token. Nothing is
 * verified here: the tokens came straight from the token endpoint over TLS, and the
 * API verifies the access token on every call.
 */
export function userFromTokens(answer: TokenAnswer): {
  token: string;
  refreshToken?: string;
  // api.ts's Session, spelt out: this module stays free of the browser's storage (tests run it in Node).
  user: { id: string; name: string; grants: Grant[] };
} {
  if (!answer.access_token) throw new Error('sign-in: the token endpoint answered no access token');
  const access = decodeJwt(answer.access_token);
  const id = answer.id_token ? decodeJwt(answer.id_token) : {};
  const groups = Array.isArray(access['cognito:groups'])
    ? access['cognito:groups'].filter((g): g is string => typeof g === 'string')
    : [];
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    token: answer.access_token,
    ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
    user: {
      id: String(access.sub ?? ''),
      name: text(id.name) ?? text(id.email) ?? text(access.username) ?? String(access.sub ?? ''),
      grants: grantsFromGroups(groups),
    },
  };
}
