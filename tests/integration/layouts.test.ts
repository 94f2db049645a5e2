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

  const refusal = async (name: string, source: string) => {
    const res = await register(name, source);
    return {
      status: res.status,
      message: ((await res.json()) as { error?: { message: string } }).error?.message,
    };
  };
  const lineOf = (text: string) => defaultLayout.split('\n').findIndex((l) => l.includes(text)) + 1;
  const unsubscribe = '<a href="%%UNSUB_URL%%">{{labels.unsubscribe}}</a>';
  const preferences = '<a href="%%PREFS_URL%%">{{labels.preferences}}</a>';

  it('refuses a footer link in a Handlebars comment, naming the line', async () => {
    expect(
      await refusal('in-comment', defaultLayout.replace(unsubscribe, `{{!-- ${unsubscribe} --}}`)),
    ).toEqual({
      status: 400,
      message: `source: line ${lineOf(unsubscribe)}: the unsubscribe link (%%UNSUB_URL%%) is inside a Handlebars comment: it never reaches the email`,
    });
  });

  it('refuses a footer link or the blocks inside a condition, naming both lines', async () => {
    const falseIf = defaultLayout.replace(preferences, `{{#if sensitive}}\n${preferences}{{/if}}`);
    expect(await refusal('false-if', falseIf)).toEqual({
      status: 400,
      message: `source: line ${lineOf(preferences) + 1}: the preferences link (%%PREFS_URL%%) is inside {{#if sensitive}} (line ${lineOf(preferences)}): every email must carry it, whatever its data`,
    });
    const blocksUnless = defaultLayout.replace('{{{blocks}}}', '{{#unless title}}{{{blocks}}}{{/unless}}');
    expect((await refusal('blocks-unless', blocksUnless)).message).toBe(
      `source: line ${lineOf('{{{blocks}}}')}: the blocks slot {{{blocks}}} is inside {{#unless title}} (line ${lineOf('{{{blocks}}}')}): every email must carry it, whatever its data`,
    );
  });

  it('refuses a footer link that does not reach the rendered email as a link', async () => {
    expect(
      await refusal('html-comment', defaultLayout.replace(unsubscribe, `<!-- ${unsubscribe} -->`)),
    ).toEqual({
      status: 400,
      message: `source: line ${lineOf(unsubscribe)}: the unsubscribe link does not reach the email as a link: write <a href="%%UNSUB_URL%%">, outside HTML comments`,
    });
    expect(
      (await refusal('as-text', defaultLayout.replace(preferences, 'Preferences: %%PREFS_URL%%'))).message,
    ).toBe(
      `source: line ${lineOf(preferences)}: the preferences link does not reach the email as a link: write <a href="%%PREFS_URL%%">, outside HTML comments`,
    );
  });

  it('refuses blocks that do not reach the rendered email, or given twice', async () => {
    expect(
      (await refusal('blocks-hidden', defaultLayout.replace('{{{blocks}}}', '<!-- {{{blocks}}} -->')))
        .message,
    ).toBe(
      `source: line ${lineOf('{{{blocks}}}')}: the blocks do not reach the email: {{{blocks}}} must be where MJML shows it, outside HTML comments`,
    );
    expect(
      (await refusal('blocks-twice', defaultLayout.replace('{{{blocks}}}', '{{{blocks}}}\n{{{blocks}}}')))
        .message,
    ).toBe(
      `source: line ${lineOf('{{{blocks}}}') + 1}: a second {{{blocks}}} (the first is on line ${lineOf('{{{blocks}}}')})`,
    );
  });

  it('refuses three braces on what people type (subject, title), naming the line', async () => {
    expect(await refusal('raw-subject', defaultLayout.replace('{{subject}}', '{{{subject}}}'))).toEqual({
      status: 400,
      message: `source: line ${lineOf('{{subject}}')}: {{{subject}}} puts what people type into the email unescaped: use two braces (only {{{blocks}}} takes three)`,
    });
    expect((await refusal('raw-title', defaultLayout.replace('{{title}}', '{{& title}}'))).message).toBe(
      `source: line ${lineOf('{{title}}')}: {{& title}} puts what people type into the email unescaped: use two braces (only {{{blocks}}} takes three)`,
    );
  });

  it('stores a valid layout that editions then render with; posts may not register one', async () => {
    // A comment that mentions a link, and conditions around optional text, are fine.
    const festive = `{{!-- Festive: the footer keeps %%UNSUB_URL%% --}}\n${defaultLayout}`
      .replace('{{labels.newsletter}} · {{date}}', 'Édition spéciale · {{date}}')
      .replace(
        '<mj-preview>{{preheader}}</mj-preview>',
        '{{#if preheader}}<mj-preview>{{preheader}}</mj-preview>{{/if}}',
      );
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
