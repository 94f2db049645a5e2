import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContentItem } from '../../functions/content/content';
import type { Post } from '../../functions/core/model';
import type { Variant } from '../../functions/editions/model';
import { compilePersonaliser, previewHtml } from '../../functions/rendering/personalise';
import { RenderError, renderVariant } from '../../functions/rendering/render-variant';
import { compileLayout, loadTemplates } from '../../functions/rendering/templates';
import { post as fixturePost } from '../helpers/fixtures';

const templates = loadTemplates(join(import.meta.dirname, '..', '..', 'templates'));
const EVIL = `<script>alert(1)</script></mj-text><mj-raw><img src=x onerror=alert(2)></mj-raw>"'&`;
const now = new Date('2026-11-25T10:00:00Z');

const item = (id: string, over: Partial<ContentItem> = {}): ContentItem => ({
  id,
  language: 'en',
  kind: 'article',
  title: `${EVIL} title`,
  summary: `${EVIL} summary`,
  body: '<p>ok</p>',
  imageUrl: 'https://img.example.org/a.jpg',
  link: 'https://focus.example.org/a?b=1&c=2',
  publishedAt: '2026-11-01T09:00:00.000Z',
  sourceId: id,
  fingerprint: 'f',
  firstSeenAt: '2026-11-01T09:00:00.000Z',
  changedAt: '2026-11-01T09:00:00.000Z',
  ...over,
});

const post: Post = fixturePost('tokyo', { name: `${EVIL} Embassy`, postalAddress: `${EVIL} street` });
const items = new Map([
  ['en-aaaaaaaaaaaa', item('en-aaaaaaaaaaaa')],
  ['en-famousbelgian', item('en-famousbelgian', { kind: 'famous-belgian' })],
  [
    'en-eventeventev',
    item('en-eventeventev', {
      kind: 'event',
      event: { start: '2027-07-16T12:00:00+02:00', end: '2027-07-25T23:00:00+02:00', place: EVIL },
    }),
  ],
]);

const variant = (over: Partial<Variant> = {}): Variant => ({
  audience: 'economic',
  language: 'en',
  subject: `${EVIL} subject`,
  preheader: `${EVIL} preheader`,
  intro: `${EVIL} intro`,
  blocks: [
    { type: 'central', item: 'en-aaaaaaaaaaaa' },
    { type: 'famous-belgian', item: 'en-famousbelgian' },
    {
      type: 'events',
      title: `${EVIL} agenda`,
      items: ['en-eventeventev'],
      local: [{ title: `${EVIL} reception`, start: '2026-12-12T18:00:00+09:00', place: `${EVIL} hall` }],
    },
    { type: 'local', title: `${EVIL} local`, text: `${EVIL} first\n\nsecond` },
    { type: 'consular', title: `${EVIL} consular`, text: `${EVIL} notice` },
    { type: 'cta', label: `${EVIL} button`, url: 'https://example.org/?q=1&r="x"' },
  ],
  ...over,
});

const render = (v = variant(), extra: Partial<Parameters<typeof renderVariant>[0]> = {}) =>
  renderVariant({
    post,
    edition: { id: 'ed_1', title: `${EVIL} edition`, revision: 1 },
    variant: v,
    items,
    templates,
    now,
    ...extra,
  });

describe('renderVariant', () => {
  it('escapes what people typed in every field: no script, no injected tag, no MJML', async () => {
    const r = await render();
    expect(r.html).not.toContain('<script>');
    expect(r.html).not.toContain('<img src=x');
    expect(r.html).not.toContain('onerror=alert');
    expect(r.html).not.toMatch(/<mj-/);
    const escaped = r.html.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/g) ?? [];
    // edition title, intro, post name (header, footer), 3 items (title, summary), agenda title, event place,
    // local event, local title and text, consular title and text, button, address, subject in <title>
    expect(escaped.length).toBeGreaterThanOrEqual(15);
  });

  it('turns every link into a tracked placeholder, once per distinct URL', async () => {
    const r = await render();
    expect(r.links).toContain('https://focus.example.org/a?b=1&c=2');
    expect(r.links).toContain('https://example.org/?q=1&r="x"');
    expect(r.html).not.toMatch(/href="https?:/);
    expect(new Set(r.links).size).toBe(r.links.length);
  });

  it('formats event dates at the venue, in the variant language', async () => {
    const fr = await renderVariant({
      post,
      edition: { id: 'ed_1', title: 'T', revision: 1 },
      variant: {
        audience: 'economic',
        language: 'fr',
        subject: 'S',
        preheader: '',
        intro: '',
        blocks: [
          {
            type: 'events',
            items: [],
            local: [{ title: 'Fête', start: '2027-07-16T23:30:00+02:00', end: '2027-07-25T10:00:00+02:00' }],
          },
        ],
      },
      items,
      templates,
      now,
    });
    expect(fr.text).toContain('du 16 juillet 2027 au 25 juillet 2027');
  });

  it('has a plain-text part without the hidden preheader and with the links as placeholders', async () => {
    const r = await render();
    expect(r.text).not.toMatch(/^.*preheader/);
    expect(r.text).toMatch(/%%L\d+%%/);
    expect(r.text).toMatch(/%%UNSUB_URL%%/);
  });

  it('names the block of a content item that does not exist, or is in another language', async () => {
    await expect(
      render(
        variant({
          blocks: [
            { type: 'local', title: 'a', text: 'b' },
            { type: 'central', item: 'en-missingmissing' },
          ],
        }),
      ),
    ).rejects.toThrow(
      'variant economic/en: block 2 (central): content item en-missingmissing does not exist',
    );
    const french = new Map([...items, ['fr-aaaaaaaaaaaa', item('fr-aaaaaaaaaaaa', { language: 'fr' })]]);
    await expect(
      render(variant({ blocks: [{ type: 'central', item: 'fr-aaaaaaaaaaaa' }] }), { items: french }),
    ).rejects.toThrow('block 1 (central): content item fr-aaaaaaaaaaaa is in fr, the variant in en');
  });

  it("shows a post's own wording of a central item, escaped, and HQ's where it gives none", async () => {
    const plain = new Map([
      ['en-aaaaaaaaaaaa', item('en-aaaaaaaaaaaa', { title: 'HQ title', summary: 'HQ summary' })],
      ['en-famousbelgian', item('en-famousbelgian', { kind: 'famous-belgian', title: 'HQ famous' })],
    ]);
    const r = await render(
      variant({
        blocks: [
          { type: 'central', item: 'en-aaaaaaaaaaaa', title: `${EVIL} ours`, summary: 'Our summary' },
          { type: 'famous-belgian', item: 'en-famousbelgian', summary: 'Our famous summary' },
        ],
      }),
      { items: plain },
    );
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('Our summary');
    expect(r.html).not.toContain('HQ title');
    expect(r.html).not.toContain('HQ summary');
    // The famous Belgian keeps HQ's title: the post changed only its summary.
    expect(r.html).toContain('HQ famous');
    expect(r.html).toContain('Our famous summary');
    const unchanged = await render(variant({ blocks: [{ type: 'central', item: 'en-aaaaaaaaaaaa' }] }), {
      items: plain,
    });
    expect(unchanged.html).toContain('HQ title');
    expect(unchanged.html).toContain('HQ summary');
  });

  it('names the layout line when a custom layout has invalid MJML', async () => {
    const layout = compileLayout(
      '<mjml>\n<mj-body>\n<mj-section><mj-column><mj-txt>{{title}}</mj-txt></mj-column></mj-section>\n{{{blocks}}}\n</mj-body>\n</mjml>',
    );
    const error = await render(variant(), { customLayout: layout }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect((error as Error).message).toMatch(
      /^variant economic\/en: layout line 3: Element mj-txt doesn't exist/,
    );
  });
});

describe('personalisation', () => {
  const labels = templates.labels.get('en') ?? {};
  const links = (n: string) => ({
    web: `https://x.example.org/web?token=${n}`,
    preferences: `https://x.example.org/preferences?token=${n}`,
    unsubscribe: `https://x.example.org/unsubscribe?token=${n}`,
    click: `https://x.example.org/r/${n}/`,
  });

  it('fills the name (escaped in HTML, raw in text), the footer links and the tracked links per recipient', async () => {
    const r = await render();
    const html = compilePersonaliser(r.html, labels, 'html');
    const text = compilePersonaliser(r.text, labels, 'text');
    const a = html({ name: 'Ana <b>Silva</b>', links: links('A') });
    const b = html({ name: undefined, links: links('B') });
    expect(a).toContain('Dear Ana &lt;b&gt;Silva&lt;/b&gt;,');
    expect(b).toContain('Dear reader,');
    expect(a).toContain('href="https://x.example.org/unsubscribe?token=A"');
    expect(a).toContain('href="https://x.example.org/r/A/0"');
    expect(b).toContain('href="https://x.example.org/r/B/0"');
    expect(a).not.toMatch(/%%[A-Z0-9_]+%%/);
    expect(text({ name: 'Ana <b>Silva</b>', links: links('A') })).toContain('Dear Ana <b>Silva</b>,');
  });

  it('previews with direct links and inert footer links', async () => {
    const r = await render();
    const html = previewHtml(r, labels);
    expect(html).toContain('href="https://focus.example.org/a?b=1&amp;c=2"');
    expect(html).toContain('href="#unsubscribe"');
  });

  it("shows a variant's own heading, the edition's title only in the post's default language, none otherwise", async () => {
    const fr = (over: Partial<Variant>) =>
      render(
        variant({ language: 'fr', blocks: [{ type: 'local', title: 'Réception', text: 'Texte' }], ...over }),
      );
    const heading = (html: string) => html.match(/edition-title[^>]*>[\s\S]*?<div[^>]*>([^<]*)</)?.[1];
    expect(heading((await fr({ title: 'Focus sur Tokyo' })).html)).toBe('Focus sur Tokyo');
    const untitled = (await fr({})).html;
    expect(untitled).not.toContain('edition-title');
    expect(untitled).not.toContain('edition</');
    expect(heading((await render()).html)).toContain('edition');
  });
});
