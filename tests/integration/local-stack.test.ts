import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSesProbe } from '../../functions/adapters/health-probes';
import type { HealthProbe } from '../../functions/core/ports';
import { makeHealthHandler } from '../../functions/handlers/health';
import type { ApiEvent } from '../../functions/http/api';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from '../helpers/seeds';
import { bearer, stackOptions, tokenFor } from '../helpers/stack';

const options = stackOptions;

describe('local stack (dynalite + aws-ses-v2-local + handlers)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack(options({ seedsDir: await smallSeeds() }));
  });
  afterAll(async () => stack?.stop());

  it('answers /health with 200 and the status of each component', async () => {
    const res = await fetch(`${stack.urls.api}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      components: Record<string, { status: string }>;
    };
    expect(body.status).toBe('ok');
    expect(body.components.dynamodb?.status).toBe('ok');
    expect(body.components.ses?.status).toBe('ok');
  });

  it('serves the seeded posts through the same handler as the Lambda', async () => {
    const admin = bearer(await tokenFor(stack, [{ role: 'admin' }]));
    const res = await fetch(`${stack.urls.api}/posts`, { headers: admin });
    expect(res.status).toBe(200);
    const { posts } = (await res.json()) as { posts: { code: string }[] };
    expect(posts.map((p: { code: string }) => p.code)).toContain('kinshasa');
    const one = (await (await fetch(`${stack.urls.api}/posts/tokyo`, { headers: admin })).json()) as {
      post: { audiences: unknown[] };
    };
    expect(one.post.audiences.length).toBeGreaterThan(0);
  });

  it('answers JSON errors: 404 for an unknown post or path, 405 for a wrong method', async () => {
    const admin = bearer(await tokenFor(stack, [{ role: 'admin' }]));
    const missing = await fetch(`${stack.urls.api}/posts/atlantis`, { headers: admin });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${stack.urls.api}/nowhere`)).status).toBe(404);
    const wrong = await fetch(`${stack.urls.api}/posts`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('shows the SES server web page', async () => {
    const res = await fetch(stack.urls.ses);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('says which port is taken and which flag to use', async () => {
    const port = Number(new URL(stack.urls.api).port);
    await expect(startLocalStack(options({ httpPort: port }))).rejects.toThrow(
      `port ${port} for the HTTP API is in use: stop what uses it or choose another with --port N`,
    );
  });

  it('answers 503 and names the component that is down', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((r) => blocker.close(() => r()));
    // The same handler, with the SES probe pointed at a port where nothing listens.
    const dynamoProbe = stack.ctx.probes.find((p) => p.name === 'dynamodb');
    const health = makeHealthHandler({
      ...stack.ctx,
      probes: [dynamoProbe as HealthProbe, localSesProbe(`http://127.0.0.1:${port}`)],
    });
    const res = await health({ routeKey: 'GET /health' } as ApiEvent, undefined);
    expect(res.statusCode).toBe(503);
    const body = JSON.parse(res.body ?? '{}');
    expect(body.status).toBe('degraded');
    expect(body.components.ses.status).toBe('down');
    expect(body.components.ses.detail).toMatch(/cannot reach the local SES server/);
    expect(body.components.dynamodb.status).toBe('ok');
  });
});

describe('local stack persistence', () => {
  it('keeps the data across a restart and does not seed twice', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'missive-data-'));
    const seedsDir = await smallSeeds(40);
    const first = await startLocalStack(options({ memory: false, dataDir, seedsDir }));
    expect(first.seed?.loaded).toBe(true);
    const before = await first.ctx.repos.subscribers.subscriptionsOfPost('tokyo', undefined, { limit: 1000 });
    await first.stop();

    const second = await startLocalStack(options({ memory: false, dataDir, seedsDir }));
    try {
      expect(second.seed?.loaded).toBe(false);
      expect((await second.ctx.repos.posts.list()).length).toBe(9);
      const after = await second.ctx.repos.subscribers.subscriptionsOfPost('tokyo', undefined, {
        limit: 1000,
      });
      expect(after.items.length).toBe(before.items.length);
      expect(after.items.length).toBeGreaterThan(0);
      expect(second.ctx.settings.signingKeys[0]?.secret).toBe(first.ctx.settings.signingKeys[0]?.secret);
    } finally {
      await second.stop();
    }
  });
});
