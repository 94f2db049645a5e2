import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/**
 * Requests a person can craft by hand (a cursor, a path, a date range) get a 400
 * naming what is wrong, over the real route table and local HTTP server: never a 500.
 */
let stack: LocalStack;
let admin: Record<string, string>;

beforeAll(async () => {
  stack = await startSeededStack();
  admin = bearer(await tokenFor(stack, [{ role: 'admin' }]));
});
afterAll(async () => stack?.stop());

type ErrorBody = { error: { code: string; message: string } };
type PageBody = { items: unknown[]; cursor?: string };

const get = (path: string, headers = admin) => fetch(`${stack.urls.api}${path}`, { headers });

async function expect400(path: string, names: RegExp) {
  const res = await get(path);
  const body = (await res.json()) as ErrorBody;
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(400);
  expect(body.error.code).toBe('invalid_input');
  expect(body.error.message).toMatch(names);
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The paged list routes, each with a query that has more than one page. */
const LISTS = [
  '/posts/tokyo/editions',
  '/posts/tokyo/subscriptions',
  '/posts/tokyo/audit',
  '/audit',
  '/content?lang=en',
];
const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

describe('a crafted cursor', () => {
  for (const path of LISTS) {
    it(`${path}: a key of the wrong shape is a 400 naming the cursor`, async () => {
      await expect400(withQuery(path, 'cursor=eyJ4IjoxfQ'), /cursor/); // {"x":1}
      await expect400(withQuery(path, 'cursor=bm90IGpzb24'), /cursor/); // not JSON
      await expect400(withQuery(path, `cursor=${cursorOf([1, 2])}`), /cursor/);
    });
  }

  it('with the right attribute names but a wrong type or an extra attribute is a 400', async () => {
    const first = (await (await get('/posts/tokyo/subscriptions?limit=1')).json()) as PageBody;
    const key = JSON.parse(Buffer.from(first.cursor ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    await expect400(`/posts/tokyo/subscriptions?cursor=${cursorOf({ ...key, pk: 7 })}`, /cursor/);
    await expect400(`/posts/tokyo/subscriptions?cursor=${cursorOf({ ...key, pk: { S: 'x' } })}`, /cursor/);
    await expect400(`/posts/tokyo/subscriptions?cursor=${cursorOf({ ...key, extra: 'x' })}`, /cursor/);
    await expect400(`/posts/tokyo/subscriptions?cursor=${cursorOf({ ...key, pk: '' })}`, /cursor/);
  });

  it("of another post's list, or outside the status asked for, is a 400", async () => {
    const first = (await (await get('/posts/tokyo/subscriptions?limit=1')).json()) as PageBody;
    const key = JSON.parse(Buffer.from(first.cursor ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    await expect400(
      `/posts/tokyo/subscriptions?cursor=${cursorOf({ ...key, gsi2pk: 'POST#berlin' })}`,
      /cursor/,
    );
    const confirmed = (await (
      await get('/posts/tokyo/subscriptions?status=confirmed&limit=1')
    ).json()) as PageBody;
    const at = JSON.parse(Buffer.from(confirmed.cursor ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const pending = cursorOf({ ...at, gsi2sk: `pending#${String(at.gsi2sk).split('#').slice(1).join('#')}` });
    await expect400(`/posts/tokyo/subscriptions?status=confirmed&cursor=${pending}`, /cursor/);
  });

  it('outside the date range asked for on /content is a 400', async () => {
    const first = (await (await get('/content?lang=en&limit=1')).json()) as PageBody;
    const key = JSON.parse(Buffer.from(first.cursor ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    await expect400(`/content?lang=en&to=2001-01-01&cursor=${first.cursor}`, /cursor/);
    await expect400(`/content?lang=en&from=2100-01-01&cursor=${first.cursor}`, /cursor/);
    expect(key.gsi1pk).toBe('LANG#en');
  });

  it('spelled another way (padding) is a 400', async () => {
    const first = (await (await get('/posts/tokyo/subscriptions?limit=1')).json()) as PageBody;
    expect(first.cursor).toBeDefined();
    await expect400(`/posts/tokyo/subscriptions?limit=1&cursor=${first.cursor}%3D`, /cursor/);
  });

  it('given back unchanged still pages through the list', async () => {
    for (const path of ['/posts/tokyo/subscriptions', '/content?lang=en']) {
      const first = (await (await get(withQuery(path, 'limit=1'))).json()) as PageBody;
      expect(first.cursor, path).toBeDefined();
      const res = await get(withQuery(path, `limit=1&cursor=${first.cursor}`));
      expect(res.status, path).toBe(200);
      const second = (await res.json()) as PageBody;
      expect(second.items).toHaveLength(1);
      expect(second.items[0]).not.toEqual(first.items[0]);
    }
  });
});

describe('a bad percent-encoding in the path', () => {
  it('is a 400 naming the path parameter', async () => {
    await expect400('/posts/%E0%A4%A/editions', /code/);
    await expect400('/posts/%E0%A4%A/subscriptions', /code/);
    await expect400('/content/%E0%A4%A', /\bid\b/);
    await expect400('/posts/tokyo/editions/%ZZ', /\bid\b/);
  });

  it('is a 400 for a post-scoped caller too (not a 404 or a 500)', async () => {
    const editor = bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]));
    const res = await get('/posts/%E0%A4%A/editions', editor);
    expect(res.status).toBe(400);
  });

  it('over-long (past what any id or link token needs) is a 400 naming it, not a 500 from the store', async () => {
    // 2,048 bytes and more: DynamoDB refused the key (a ValidationException, answered 500).
    const long = 'a'.repeat(2048);
    await expect400(`/content/${long}`, /path parameter id: at most 512 bytes/);
    await expect400(`/content/${long}/wording`, /\bid\b/);
    await expect400(`/posts/tokyo/editions/${long}`, /\bid\b/);
    await expect400(`/posts/tokyo/reports/editions/${long}`, /\bid\b/);
    await expect400(`/posts/tokyo/editions/${'%E6%9D%B1'.repeat(200)}/progress`, /\bid\b/);
    expect((await get(`/content/${'a'.repeat(512)}`)).status).toBe(404);
  });

  it('decodes a well-formed one once, for the access check and the handler alike', async () => {
    const editor = bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]));
    const res = await get('/posts/%74okyo/editions', editor); // %74 = t
    expect(res.status).toBe(200);
  });
});

describe('a request the local server cannot read as a URL', () => {
  /** One raw HTTP/1.1 request (fetch would refuse to send these): the status line's code. */
  const raw = (target: string) =>
    new Promise<string>((resolve, reject) => {
      const url = new URL(stack.urls.api);
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write(`GET ${target} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (chunk) => {
        data += String(chunk);
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(data));
    });

  it('is a 400, and the stack goes on answering (it used to end the process)', async () => {
    // The web app's files: a bad percent-encoding; then an absolute-form target that is no URL.
    const app = await get('/app/%ZZ');
    expect(app.status).toBe(400);
    expect(((await app.json()) as ErrorBody).error.message).toMatch(/percent-encoding/);
    const answer = await raw('http://[x');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('"code":"bad_request"');
    expect((await get('/health')).status).toBe(200);
  });
});

describe('a date range on /content', () => {
  it('with from after to is a 400 naming both', async () => {
    await expect400('/content?lang=en&from=2026-12-01&to=2026-11-01', /from.*to/);
    await expect400('/content?lang=en&kind=event&from=2026-12-01&to=2026-11-01', /from.*to/);
  });

  it('with from and to on the same day, or in order, is answered', async () => {
    for (const range of [
      'from=2026-11-01&to=2026-11-01',
      'from=2026-11-01T10:00&to=2026-11-01',
      'from=2020-01-01&to=2030-01-01',
    ]) {
      const res = await get(`/content?lang=en&${range}`);
      expect(res.status, range).toBe(200);
    }
  });
});
