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

  const sign = (claims: Record<string, unknown>, iss = issuer) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(iss)
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

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

  it('refuses an id token, another app client, another issuer', async () => {
    const id = await sign({ token_use: 'id', client_id: 'app1' });
    await expect(auth().authenticate(`Bearer ${id}`)).rejects.toThrow(/access token is required/);
    const otherClient = await sign({ token_use: 'access', client_id: 'app2' });
    await expect(auth().authenticate(`Bearer ${otherClient}`)).rejects.toThrow(/another application/);
    const otherPool = await sign({ token_use: 'access', client_id: 'app1' }, `${issuer}X`);
    await expect(auth().authenticate(`Bearer ${otherPool}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
