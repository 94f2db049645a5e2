import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';
import { freePort } from '../helpers/stack-process';
import { waitFor } from '../helpers/wait';

describe('local stack start-up', () => {
  let stack: LocalStack | undefined;
  const feeds = createServer();
  afterAll(async () => {
    await stack?.stop();
    feeds.closeAllConnections();
    await new Promise<void>((r) => feeds.close(() => r()));
  });

  it('answers 503 {"status":"starting"} while it seeds and syncs content, then serves', async () => {
    // HQ's feeds answer only when the test says so: the stack is held in its first content sync.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    feeds.on('request', (_req, res) => {
      void held.then(() => res.writeHead(500).end());
    });
    await new Promise<void>((r) => feeds.listen(0, '127.0.0.1', () => r()));
    const feedUrl = `http://127.0.0.1:${(feeds.address() as AddressInfo).port}/feed.xml`;
    const port = await freePort();
    const starting = startLocalStack(
      stackOptions({
        httpPort: port,
        seedsDir: await smallSeeds(5),
        env: { MISSIVE_CONTENT_FEEDS: `en=${feedUrl}` },
      }),
    );
    starting.catch(() => {});
    let first: Response | undefined;
    await waitFor(async () => {
      first = await fetch(`http://localhost:${port}/health`).catch(() => undefined);
      return first !== undefined;
    });
    expect(first?.status).toBe(503);
    expect(first?.headers.get('content-type')).toMatch(/application\/json/);
    expect(Number(first?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await first?.json()).toEqual({ status: 'starting' });
    // Any route, not only /health, until the stack is ready.
    expect((await fetch(`http://localhost:${port}/posts`)).status).toBe(503);

    release();
    stack = await starting;
    expect((await fetch(`${stack.urls.api}/health`)).status).toBe(200);
  });
});
