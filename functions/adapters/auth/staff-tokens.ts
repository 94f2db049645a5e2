import { createHmac } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { type Grant, grantsFromGroups, type Principal } from '../../core/access';
import { UnauthenticatedError } from '../../core/errors';

/**
 * Staff authentication: a bearer JWT in, a Principal out. On AWS the token is a
 * Cognito access token (verified against the user pool's JWKS, after API Gateway's
 * JWT authorizer has checked it once already); locally it is signed by the local
 * stack's own key and carries the same claims. Either way the same claims become
 * the same Principal.
 */
export interface StaffAuthenticator {
  /** undefined when there is no Authorization header; UnauthenticatedError when it is bad. */
  authenticate(authorization: string | undefined): Promise<Principal | undefined>;
}

export const LOCAL_ISSUER = 'missive-local';
export const LOCAL_CLIENT_ID = 'missive-local-cli';

function bearer(authorization: string): string {
  const m = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i.exec(authorization.trim());
  if (!m?.[1]) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
  return m[1];
}

/** Claims of a Cognito access token that we rely on. */
function toPrincipal(payload: JWTPayload, clientIds: readonly string[]): Principal {
  if (payload.token_use !== 'access') throw new UnauthenticatedError('an access token is required');
  if (typeof payload.client_id !== 'string' || !clientIds.includes(payload.client_id)) {
    throw new UnauthenticatedError('the token was issued for another application');
  }
  if (typeof payload.sub !== 'string' || payload.sub === '')
    throw new UnauthenticatedError('the token has no subject');
  const groups = payload['cognito:groups'];
  const list = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  return { id: payload.sub, grants: grantsFromGroups(list) };
}

/** A token without an expiry would stay valid forever once leaked: refused, on AWS and locally. */
const REQUIRED_CLAIMS = ['exp', 'sub'];

/** The signature held and a claim did not: another key would not change the answer. */
const isClaimError = (error: unknown) =>
  error instanceof joseErrors.JWTExpired || error instanceof joseErrors.JWTClaimValidationFailed;

function explain(error: unknown): never {
  if (error instanceof UnauthenticatedError) throw error;
  if (error instanceof joseErrors.JWTExpired)
    throw new UnauthenticatedError('the token has expired: sign in again');
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'exp') {
    throw new UnauthenticatedError('the token has no expiry (exp claim): sign in again for a new one');
  }
  throw new UnauthenticatedError('the token is not valid');
}

export function cognitoAuthenticator(options: {
  region: string;
  userPoolId: string;
  clientIds: readonly string[];
  /** Tests point this at their own key set; on AWS it is the pool's published JWKS. */
  jwksUrl?: string;
}): StaffAuthenticator {
  const issuer = `https://cognito-idp.${options.region}.amazonaws.com/${options.userPoolId}`;
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? `${issuer}/.well-known/jwks.json`));
  return {
    async authenticate(authorization) {
      if (!authorization) return undefined;
      try {
        const { payload } = await jwtVerify(bearer(authorization), jwks, {
          issuer,
          algorithms: ['RS256'],
          requiredClaims: REQUIRED_CLAIMS,
        });
        return toPrincipal(payload, options.clientIds);
      } catch (error) {
        return explain(error);
      }
    },
  };
}

/** The key local staff tokens are signed with, derived from a link-signing secret (never the same bytes). */
const localKey = (secret: string) =>
  createHmac('sha256', secret).update('missive-local-staff-tokens').digest();

export function localAuthenticator(secrets: readonly string[]): StaffAuthenticator {
  const keys = secrets.map(localKey);
  return {
    async authenticate(authorization) {
      if (!authorization) return undefined;
      const token = bearer(authorization);
      let lastError: unknown = new UnauthenticatedError('no local signing key is configured');
      for (const key of keys) {
        try {
          const { payload } = await jwtVerify(token, key, {
            issuer: LOCAL_ISSUER,
            algorithms: ['HS256'],
            requiredClaims: REQUIRED_CLAIMS,
          });
          return toPrincipal(payload, [LOCAL_CLIENT_ID]);
        } catch (error) {
          lastError = error;
          if (isClaimError(error)) break;
        }
      }
      return explain(lastError);
    },
  };
}

function groupsOf(grants: readonly Grant[]): string[] {
  return grants.map((g) => (g.post ? `${g.role}:${g.post}` : g.role));
}

/** A local staff token with the claims Cognito would give (for `missive token` and tests). */
export async function issueLocalToken(
  secret: string,
  options: { subject: string; grants: readonly Grant[]; ttlSeconds: number; now?: Date },
): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    token_use: 'access',
    client_id: LOCAL_CLIENT_ID,
    'cognito:groups': groupsOf(options.grants),
    username: options.subject,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(LOCAL_ISSUER)
    .setSubject(options.subject)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttlSeconds)
    .sign(localKey(secret));
}
