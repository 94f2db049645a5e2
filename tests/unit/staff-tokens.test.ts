import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cognitoAuthenticator,
  issueLocalToken,
  localAuthenticator,
} from '../../functions/adapters/auth/staff-tokens';
import { UnauthenticatedError } from '../../functions/core/errors';

const SECRET = 's'.repeat(43);

describe('local staff tokens', () => {
  const auth = localAuthenticator([SECRET]);

  it('become the principal with the grants of their groups', async () => {
    const token = await issueLocalToken(SECRET, {
      subject: 'alice',
      grants: [{ role: 'post-editor', post: 'tokyo' }],
      ttlSeconds: 60,
    });
    expect(await auth.authenticate(`Bearer ${token}`)).toEqual({
      id: 'alice',
      grants: [{ role: 'post-editor', post: 'tokyo' }],
    });
    // The scheme's name is case-insensitive (RFC 9110 section 11.1).
    expect((await auth.authenticate(`bearer ${token}`))?.id).toBe('alice');
    expect((await auth.authenticate(`BEARER ${token}`))?.id).toBe('alice');
    expect(await auth.authenticate(undefined)).toBeUndefined();
  });

  it('are refused when expired, signed with another key or malformed', async () => {
    const expired = await issueLocalToken(SECRET, {
      subject: 'a',
      grants: [{ role: 'admin' }],
      ttlSeconds: 60,
      now: new Date(Date.now() - 120_000),
    });
    await expect(auth.authenticate(`Bearer ${expired}`)).rejects.toThrow(/expired/);
    const other = await issueLocalToken('o'.repeat(43), {
      subject: 'a',
      grants: [{ role: 'admin' }],
      ttlSeconds: 60,
    });
    await expect(auth.authenticate(`Bearer ${other}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(auth.authenticate('Bearer nonsense')).rejects.toThrow(/Bearer <token>/);
  });

  it('are refused without an expiry (a token that never expires is never issued)', async () => {
    // The local key as the stack derives it; the same token with an exp is accepted,
    // so the refusal below is for the missing exp, not for the key.
    const key = createHmac('sha256', SECRET).update('missive-local-staff-tokens').digest();
    const token = (exp: boolean) => {
      const jwt = new SignJWT({
        token_use: 'access',
        client_id: 'missive-local-cli',
        'cognito:groups': ['admin'],
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('missive-local')
        .setSubject('mallory')
        .setIssuedAt();
      return (exp ? jwt.setExpirationTime('5m') : jwt).sign(key);
    };
    expect(await auth.authenticate(`Bearer ${await token(true)}`)).toEqual({
      id: 'mallory',
      grants: [{ role: 'admin' }],
    });
    await expect(auth.authenticate(`Bearer ${await token(false)}`)).rejects.toThrow(/expiry/);
    // With an older key configured after it, the answer is still about the expiry.
    const twoKeys = localAuthenticator([SECRET, 'o'.repeat(43)]);
    await expect(twoKeys.authenticate(`Bearer ${await token(false)}`)).rejects.toThrow(/expiry/);
  });
});

describe('Cognito access tokens (RS256 against a JWKS)', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  const issuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test123';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const sign = (claims: Record<string, unknown>, iss = issuer, expires = true) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(iss)
      .setSubject('user-1')
      .setIssuedAt();
    return (expires ? jwt.setExpirationTime('5m') : jwt).sign(privateKey);
  };

  const auth = () =>
    cognitoAuthenticator({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Test123',
      clientIds: ['app1'],
      jwksUrl,
    });

  it('accepts an access token of the pool for our app client, with its groups', async () => {
    const token = await sign({
      token_use: 'access',
      client_id: 'app1',
      'cognito:groups': ['analyst:berlin'],
    });
    expect(await auth().authenticate(`Bearer ${token}`)).toEqual({
      id: 'user-1',
      grants: [{ role: 'analyst', post: 'berlin' }],
    });
  });

  it("accepts the web client's access token from the hosted UI (code grant: scopes, no aud)", async () => {
    // The claims Cognito puts in an access token issued at /oauth2/token for the web app's client.
    const token = await sign({
      token_use: 'access',
      client_id: 'app1',
      scope: 'openid email profile',
      auth_time: Math.floor(Date.now() / 1000),
      version: 2,
      jti: 'a1b2',
      username: 'user-1',
      origin_jti: 'c3d4',
      event_id: 'e5f6',
      'cognito:groups': ['post-editor:tokyo', 'analyst'],
    });
    expect(await auth().authenticate(`Bearer ${token}`)).toEqual({
      id: 'user-1',
      grants: [{ role: 'post-editor', post: 'tokyo' }, { role: 'analyst' }],
    });
  });

  it('refuses an id token, another app client, another issuer', async () => {
    const id = await sign({ token_use: 'id', client_id: 'app1' });
    await expect(auth().authenticate(`Bearer ${id}`)).rejects.toThrow(/access token is required/);
    const otherClient = await sign({ token_use: 'access', client_id: 'app2' });
    await expect(auth().authenticate(`Bearer ${otherClient}`)).rejects.toThrow(/another application/);
    const otherPool = await sign({ token_use: 'access', client_id: 'app1' }, `${issuer}X`);
    await expect(auth().authenticate(`Bearer ${otherPool}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('refuses a token without an expiry', async () => {
    const claims = { token_use: 'access', client_id: 'app1' };
    expect(await auth().authenticate(`Bearer ${await sign(claims)}`)).toBeDefined();
    const forever = await sign(claims, issuer, false);
    await expect(auth().authenticate(`Bearer ${forever}`)).rejects.toThrow(/expiry/);
  });
});
