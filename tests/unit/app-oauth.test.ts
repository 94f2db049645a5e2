import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { CognitoConfig } from '../../app/src/config';
import {
  authorizeUrl,
  challengeOf,
  logoutUrl,
  randomToken,
  refreshRequest,
  revokeRequest,
  tokenRequest,
  userFromTokens,
} from '../../app/src/oauth';

const config: CognitoConfig = {
  mode: 'cognito',
  authority: 'https://missive-dev-123456789012.auth.eu-west-1.amazoncognito.com',
  clientId: 'web-client',
  redirectUri: 'https://d111111abcdef8.cloudfront.net/app/',
  scopes: 'openid email profile',
};

describe('PKCE (RFC 7636)', () => {
  it("derives Appendix B's S256 challenge from its verifier", async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes a new verifier each time: 43 characters of the unreserved set (256 bits)', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(randomToken()).not.toBe(a);
  });
});

describe('the hosted UI', () => {
  it('is asked for a code with the S256 challenge, the state, the scopes and the registered redirect URI', () => {
    const url = new URL(authorizeUrl(config, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'state-1'));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.authority}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'web-client',
      redirect_uri: 'https://d111111abcdef8.cloudfront.net/app/',
      scope: 'openid email profile',
      state: 'state-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code with the verifier and no secret, form-encoded', () => {
    const [url, init] = tokenRequest(config, 'the-code', 'the-verifier');
    expect(url).toBe(`${config.authority}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'web-client',
      code: 'the-code',
      redirect_uri: config.redirectUri,
      code_verifier: 'the-verifier',
    });
  });

  it('renews the access token with the refresh token, and revokes it at sign-out (no secret either way)', () => {
    const [url, init] = refreshRequest(config, 'the-refresh-token');
    expect(url).toBe(`${config.authority}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'web-client',
      refresh_token: 'the-refresh-token',
    });
    const [revokeUrl, revoke] = revokeRequest(config, 'the-refresh-token');
    expect(revokeUrl).toBe(`${config.authority}/oauth2/revoke`);
    expect(revoke.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(String(revoke.body)))).toEqual({
      token: 'the-refresh-token',
      client_id: 'web-client',
    });
  });

  it('signs out at /logout and comes back to the app', () => {
    const url = new URL(logoutUrl(config));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.authority}/logout`);
    expect(url.searchParams.get('client_id')).toBe('web-client');
    expect(url.searchParams.get('logout_uri')).toBe(config.redirectUri);
  });
});

describe('the signed-in person', () => {
  const key = new TextEncoder().encode('a key the app never checks: the API does');
  const jwt = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);

  it("reads the roles from the access token's groups as the API does, the name from the ID token", async () => {
    const access = await jwt({
      sub: 'b1c2',
      token_use: 'access',
      client_id: 'web-client',
      username: 'b1c2',
      'cognito:groups': ['post-editor:tokyo', 'analyst', 'not-a-role', 'post-approver'],
    });
    const s = userFromTokens({
      access_token: access,
      id_token: await jwt({ sub: 'b1c2', name: 'Aiko Tanaka' }),
    });
    expect(s.token).toBe(access);
    expect(s.refreshToken).toBeUndefined();
    expect(userFromTokens({ access_token: access, refresh_token: 'r-1' }).refreshToken).toBe('r-1');
    expect(s.user).toEqual({
      id: 'b1c2',
      name: 'Aiko Tanaka',
      // A post role without a post and an unknown group grant nothing (core/access.ts).
      grants: [{ role: 'post-editor', post: 'tokyo' }, { role: 'analyst' }],
    });
    const noName = userFromTokens({
      access_token: access,
      id_token: await jwt({ email: 'a.tanaka@example.org' }),
    });
    expect(noName.user.name).toBe('a.tanaka@example.org');
  });

  it('refuses an answer without an access token', () => {
    expect(() => userFromTokens({ id_token: 'x' })).toThrow(/no access token/);
  });
});
