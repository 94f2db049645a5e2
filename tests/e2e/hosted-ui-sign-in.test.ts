import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoConfig } from '../../app/src/config';
import type { LocalStack } from '../../functions/local/stack';
import { appContentSecurityPolicy } from '../../infra/constructs/web-app';
import { type AppBrowser, startAppBrowser } from '../helpers/browser';
import { startSeededStack, tokenFor } from '../helpers/stack';

/**
 * The app as deployed on AWS, signing in through a hosted UI: config.json says
 * "cognito", the pages carry the CloudFront CSP, and a stand-in for Cognito's hosted
 * UI (its own origin) plays the authorization code flow with PKCE by RFC 7636: it
 * remembers the challenge of each code and hands out tokens only for the verifier
 * whose S256 is that challenge. Its access token is one the local stack accepts, with
 * the claims a Cognito access token has, so the app goes on to call the real API.
 */

let stack: LocalStack;
let app: AppBrowser;
let front: Server;
let hostedUi: Server;
let appOrigin = '';
let authority = '';
const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
const tokenRequests: Record<string, string>[] = [];
/** Refresh tokens the stand-in handed out and has not seen revoked. */
const refreshTokens = new Set<string>();
const revoked: string[] = [];
const cspViolations: string[] = [];
const CLIENT_ID = 'web-client-e2e';

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const body = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** /oauth2/authorize (signs "Aiko" in at once), /oauth2/token (PKCE checked; refresh tokens), /oauth2/revoke, /logout. */
async function hostedUiHandler(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', authority);
  const cors = { 'access-control-allow-origin': appOrigin, 'content-type': 'application/json' };
  if (url.pathname === '/oauth2/authorize') {
    const q = url.searchParams;
    if (
      q.get('response_type') !== 'code' ||
      q.get('code_challenge_method') !== 'S256' ||
      !q.get('code_challenge')
    ) {
      res.writeHead(400).end('authorization code with S256 only');
      return;
    }
    const code = randomUUID();
    codes.set(code, {
      challenge: q.get('code_challenge') ?? '',
      redirectUri: q.get('redirect_uri') ?? '',
      clientId: q.get('client_id') ?? '',
    });
    const back = new URL(q.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
    return;
  }
  if (url.pathname.startsWith('/oauth2/') && req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors, 'access-control-allow-headers': 'content-type' }).end();
    return;
  }
  if (url.pathname === '/oauth2/revoke' && req.method === 'POST') {
    const form = Object.fromEntries(new URLSearchParams(await body(req)));
    revoked.push(form.token ?? '');
    refreshTokens.delete(form.token ?? '');
    res.writeHead(200, cors).end('{}');
    return;
  }
  if (url.pathname === '/oauth2/token' && req.method === 'POST') {
    const form = Object.fromEntries(new URLSearchParams(await body(req)));
    tokenRequests.push(form);
    if (form.grant_type === 'refresh_token') {
      // As Cognito: a new access token, no new refresh token; a revoked or unknown one is refused.
      if (!refreshTokens.has(form.refresh_token ?? '') || form.client_id !== CLIENT_ID) {
        res.writeHead(400, cors).end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      const access = await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]);
      res.writeHead(200, cors).end(JSON.stringify({ access_token: access, token_type: 'Bearer' }));
      return;
    }
    const issued = codes.get(form.code ?? '');
    codes.delete(form.code ?? '');
    const s256 = createHash('sha256')
      .update(form.code_verifier ?? '')
      .digest('base64url');
    if (
      !issued ||
      form.grant_type !== 'authorization_code' ||
      issued.challenge !== s256 ||
      issued.redirectUri !== form.redirect_uri ||
      issued.clientId !== form.client_id
    ) {
      res.writeHead(400, cors).end(JSON.stringify({ error: 'invalid_grant' }));
      return;
    }
    const access = await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]);
    const id = await new SignJWT({ name: 'Aiko Tanaka', email: 'a.tanaka@example.org' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('the hosted UI stand-in'));
    const refresh = `refresh-${randomUUID()}`;
    refreshTokens.add(refresh);
    res
      .writeHead(200, cors)
      .end(
        JSON.stringify({ access_token: access, id_token: id, refresh_token: refresh, token_type: 'Bearer' }),
      );
    return;
  }
  if (url.pathname === '/logout') {
    res.writeHead(302, { location: url.searchParams.get('logout_uri') ?? '/' }).end();
    return;
  }
  res.writeHead(404).end();
}

/** CloudFront's part: config.json for Cognito, the CSP on the app's files, everything else to the stack. */
async function frontHandler(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', appOrigin).pathname;
  if (path === '/app/config.json') {
    const config: CognitoConfig = {
      mode: 'cognito',
      authority,
      clientId: CLIENT_ID,
      redirectUri: `${appOrigin}/app/`,
      scopes: 'openid email profile',
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type']) {
    const v = req.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const upstream = await fetch(`${stack.urls.api}${req.url}`, {
    method: req.method ?? 'GET',
    headers,
    redirect: 'manual',
    ...(hasBody ? { body: await body(req) } : {}),
  });
  const out: Record<string, string> = {};
  for (const name of ['content-type', 'cache-control', 'location']) {
    const v = upstream.headers.get(name);
    if (v) out[name] = v;
  }
  if (path.startsWith('/app/')) out['content-security-policy'] = appContentSecurityPolicy(authority);
  res.writeHead(upstream.status, out).end(Buffer.from(await upstream.arrayBuffer()));
}

beforeAll(async () => {
  stack = await startSeededStack(20);
  hostedUi = createServer((req, res) => void hostedUiHandler(req, res));
  authority = await listen(hostedUi);
  front = createServer((req, res) => void frontHandler(req, res));
  appOrigin = await listen(front);
  // Another port of 127.0.0.1 is another origin: the token call is cross-origin, as to Cognito.
  app = await startAppBrowser(appOrigin, 'missive-e2e-hosted-ui-');
}, 180_000);
afterAll(async () => {
  await app?.close();
  await new Promise<void>((r) => (front ? front.close(() => r()) : r()));
  await new Promise<void>((r) => (hostedUi ? hostedUi.close(() => r()) : r()));
  await stack?.stop();
});

const watchCsp = (page: Page) => {
  cspViolations.length = 0;
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
};
/** Run in the page (the browser's storage; this file is type-checked without the DOM's types). */
const stored = (page: Page, storage: 'sessionStorage' | 'localStorage') =>
  page.evaluate(`${storage}.getItem('missive.session')`) as Promise<string | null>;

describe('signing in through the hosted UI (authorization code with PKCE)', () => {
  it('goes to the hosted UI, comes back with a code, exchanges it with the verifier and opens the editor’s home', async () => {
    const page = await app.context.newPage();
    watchCsp(page);
    await page.goto(`${appOrigin}/app/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Continue to sign-in' }).click();
    // Back from the hosted UI: the code exchanged, the address bar cleaned, the editor's dashboard.
    await page.getByRole('heading', { name: /Editions · tokyo/ }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    await page.getByText('Aiko Tanaka').first().waitFor();
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]).toMatchObject({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      redirect_uri: `${appOrigin}/app/`,
    });
    expect(tokenRequests[0]?.code_verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    // The access token is kept for this tab only.
    expect(await stored(page, 'sessionStorage')).toContain('"token"');
    expect(await stored(page, 'localStorage')).toBeNull();

    // Signing out goes through the hosted UI's /logout, which sends the person back to the app.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Continue to sign-in' }).waitFor();
    expect(await stored(page, 'sessionStorage')).toBeNull();
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('renews an expired access token with the refresh token and carries on; signing out revokes it', async () => {
    const page = await app.context.newPage();
    watchCsp(page);
    await page.goto(`${appOrigin}/app/`);
    await page.getByRole('button', { name: 'Continue to sign-in' }).click();
    await page.getByRole('heading', { name: /Editions · tokyo/ }).waitFor();
    const signedIn = JSON.parse((await stored(page, 'sessionStorage')) ?? '{}') as {
      token: string;
      refreshToken: string;
    };
    expect(refreshTokens.has(signedIn.refreshToken)).toBe(true);

    // The hour is up: the API refuses the access token (a spoilt signature stands in for its expiry).
    await page.evaluate(
      `sessionStorage.setItem('missive.session', JSON.stringify({...JSON.parse(sessionStorage.getItem('missive.session')), token: ${JSON.stringify(`${signedIn.token}x`)}}))`,
    );
    const before = tokenRequests.length;
    await page.goto(`${appOrigin}/app/#/reports`);
    await page
      .getByRole('heading', { name: /Reports/ })
      .first()
      .waitFor();
    expect(tokenRequests.slice(before).map((r) => r.grant_type)).toEqual(['refresh_token']);
    const renewed = JSON.parse((await stored(page, 'sessionStorage')) ?? '{}') as {
      token: string;
      refreshToken: string;
    };
    expect(renewed.token).not.toBe(`${signedIn.token}x`);
    expect(renewed.refreshToken).toBe(signedIn.refreshToken);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Continue to sign-in' }).waitFor();
    expect(revoked).toContain(signedIn.refreshToken);
    expect(refreshTokens.has(signedIn.refreshToken)).toBe(false);
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('sends the person to sign in again when the refresh token is refused too', async () => {
    const page = await app.context.newPage();
    await page.goto(`${appOrigin}/app/`);
    await page.getByRole('button', { name: 'Continue to sign-in' }).click();
    await page.getByRole('heading', { name: /Editions · tokyo/ }).waitFor();
    await page.evaluate(
      `sessionStorage.setItem('missive.session', JSON.stringify({...JSON.parse(sessionStorage.getItem('missive.session')), token: 'expired', refreshToken: 'revoked-long-ago'}))`,
    );
    await page.reload();
    await page.getByRole('button', { name: 'Continue to sign-in' }).waitFor();
    expect(await stored(page, 'sessionStorage')).toBeNull();
    await page.close();
  });

  it('refuses a code that answers no sign-in of this tab (state), and exchanges nothing', async () => {
    const page = await app.context.newPage();
    watchCsp(page);
    const before = tokenRequests.length;
    await page.goto(`${appOrigin}/app/?code=stolen-code&state=someone-elses`);
    await page.getByRole('alert').filter({ hasText: /state/ }).waitFor();
    expect(tokenRequests).toHaveLength(before);
    expect(new URL(page.url()).search).toBe('');
    expect(await stored(page, 'sessionStorage')).toBeNull();
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('shows an accessible sign-in page (axe, under the CloudFront policy)', async () => {
    const page = await app.context.newPage();
    await page.goto(`${appOrigin}/app/`);
    await page.getByRole('button', { name: 'Continue to sign-in' }).waitFor();
    await app.checkAccessibility(page, 'hosted-ui-sign-in');
    await page.close();
  });
});
