import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAuthenticator } from '../../functions/adapters/auth/staff-tokens';
import { appContentSecurityPolicy } from '../../functions/http/app-policy';
import { webAppListener } from '../../functions/local/web-app';

const SECRET = 'a-local-signing-secret-for-the-test';
let server: Server;
let base: string;
let dir: string;

async function serve(appDir: string): Promise<{ server: Server; base: string }> {
  const app = webAppListener({ dir: appDir, secret: () => SECRET });
  const s = createServer(async (req, res) => {
    if (!(await app(req, res))) res.writeHead(404).end('api');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { server: s, base: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'missive-app-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  await writeFile(join(tmpdir(), 'secret.txt'), 'not for the web');
  ({ server, base } = await serve(dir));
});
afterAll(() => new Promise<void>((r) => server?.close(() => r())));

describe('the web app on the local stack', () => {
  it('lists the demo people by role and signs one in with a token the API accepts', async () => {
    const staff = (await (await fetch(`${base}/app/local/staff`)).json()) as {
      items: { id: string; grants: { role: string; post?: string }[] }[];
    };
    const roles = new Set(staff.items.flatMap((p) => p.grants.map((g) => g.role)));
    expect([...roles].sort()).toEqual(
      ['admin', 'analyst', 'hq-editor', 'post-approver', 'post-editor', 'spokesperson'].sort(),
    );
    const res = await fetch(`${base}/app/local/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ id: 'demo-tokyo-editor' }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const who = await localAuthenticator([SECRET]).authenticate(`Bearer ${token}`);
    expect(who).toEqual({ id: 'demo-tokyo-editor', grants: [{ role: 'post-editor', post: 'tokyo' }] });
  });

  it('tells the app it runs locally (config.json), so it shows the demo people rather than Cognito', async () => {
    // Even when the built app holds a config.json of its own (a deployed build copied here).
    await writeFile(join(dir, 'config.json'), '{"mode":"cognito"}');
    const res = await fetch(`${base}/app/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ mode: 'local' });
  });

  it('refuses an unknown person with a 400 naming the field', async () => {
    const res = await fetch(`${base}/app/local/sign-in`, { method: 'POST', body: '{"id":"mallory"}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^id: not a demo user/,
    );
  });

  it("serves the app's files, its index for the app's own paths, and nothing outside its folder", async () => {
    const asset = await fetch(`${base}/app/assets/main-abc123.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    const index = await fetch(`${base}/app/editions`);
    expect(await index.text()).toContain('<title>app</title>');
    // The policy CloudFront sends on AWS, without a hosted UI to call: inline scripts refused.
    expect(index.headers.get('content-security-policy')).toBe(appContentSecurityPolicy());
    expect(appContentSecurityPolicy()).toMatch(/script-src 'self';.*connect-src 'self';/);
    const outside = await fetch(`${base}/app/..%2fsecret.txt`);
    expect(await outside.text()).not.toContain('not for the web');
    expect((await fetch(`${base}/posts`)).status).toBe(404);
  });

  it('answers a path that is not valid percent-encoding with a 400, not a crash', async () => {
    const res = await fetch(`${base}/app/assets/%ZZ`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    expect((await fetch(`${base}/app/assets/main-abc123.js`)).status).toBe(200);
  });

  it('says how to build the app when it is not built', async () => {
    const empty = await serve(await mkdtemp(join(tmpdir(), 'missive-app-empty-')));
    const res = await fetch(`${empty.base}/app/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build:app/);
    await new Promise<void>((r) => empty.server.close(() => r()));
  });
});
