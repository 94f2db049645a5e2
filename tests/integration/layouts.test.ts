import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

let stack: LocalStack;
let hq: Record<string, string>;
let defaultLayout: string;

beforeAll(async () => {
  stack = await startSeededStack(10);
  hq = bearer(await tokenFor(stack, [{ role: 'hq-editor', post: 'hq' }]));
  defaultLayout = await readFile(
    join(import.meta.dirname, '..', '..', 'templates', 'layouts', 'default.mjml.hbs'),
    'utf8',
  );
});
afterAll(async () => stack?.stop());

const register = (name: string, source: string, headers = hq) =>
  fetch(`${stack.urls.api}/layouts`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name, source }),
  });

describe('HQ layouts', () => {
  it('refuses a layout without the unsubscribe link, or with invalid MJML, naming the problem', async () => {
    const noUnsub = await register('no-unsub', defaultLayout.replaceAll('%%UNSUB_URL%%', '#'));
    expect(noUnsub.status).toBe(400);
    expect(((await noUnsub.json()) as { error: { message: string } }).error.message).toBe(
      'source: the layout must contain %%UNSUB_URL%%',
    );
    const bad = await register(
      'bad-mjml',
      defaultLayout.replace('<mj-column width="22%"', '<mj-colum width="22%"'),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^source: layout line \d+: /,
    );
  });

  it('stores a valid layout that editions then render with; posts may not register one', async () => {
    const festive = defaultLayout.replace('{{labels.newsletter}} · {{date}}', 'Édition spéciale · {{date}}');
    expect((await register('festive', festive)).status).toBe(201);
    expect(
      (
        await register(
          'other',
          festive,
          bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }])),
        )
      ).status,
    ).toBe(403);
    const list = (await (await fetch(`${stack.urls.api}/layouts`, { headers: hq })).json()) as {
      builtIn: string[];
      registered: { name: string }[];
    };
    expect(list.builtIn).toEqual(['default']);
    expect(list.registered.map((l) => l.name)).toEqual(['festive']);

    const editor = bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'kinshasa' }]));
    const created = await fetch(`${stack.urls.api}/posts/kinshasa/editions`, {
      method: 'POST',
      headers: { ...editor, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Spéciale',
        layout: 'festive',
        variants: [
          {
            audience: 'economic',
            language: 'fr',
            subject: 'S',
            blocks: [{ type: 'local', title: 'T', text: 'x' }],
          },
        ],
      }),
    });
    const { edition } = (await created.json()) as { edition: { id: string } };
    const html = await (
      await fetch(
        `${stack.urls.api}/posts/kinshasa/editions/${edition.id}/preview?audience=economic&lang=fr`,
        { headers: editor },
      )
    ).text();
    expect(html).toContain('Édition spéciale');
  });
});
