/**
 * npm run bench:render
 *
 * 1. Renders per second of a 10-item variant (MJML, once per variant).
 * 2. Per-recipient personalisation cost, over 100,000 recipients: the compiled
 *    HTML and text filled for each, with the two signed tokens each recipient gets
 *    (read: web version and clicks; manage: unsubscribe and preferences), on one core.
 */
import { join } from 'node:path';
import type { ContentItem } from '../functions/content/content';
import { recipientLinks } from '../functions/core/recipient-links';
import type { Variant } from '../functions/editions/model';
import { compileVariant } from '../functions/rendering/personalise';
import { renderVariant } from '../functions/rendering/render-variant';
import { loadTemplates } from '../functions/rendering/templates';
import { post } from '../tests/helpers/fixtures';

const templates = loadTemplates(join(import.meta.dirname, '..', 'templates'));
const items = new Map<string, ContentItem>();
for (let i = 0; i < 10; i++) {
  const id = `en-benchitem${String(i).padStart(4, '0')}`;
  items.set(id, {
    id,
    language: 'en',
    kind: i % 3 === 0 ? 'famous-belgian' : 'article',
    title: `Item ${i}: Belgian innovation in the port of Antwerp-Bruges`,
    summary: 'Europe’s largest export port invests in green hydrogen and carbon capture. '.repeat(3),
    body: '<p>body</p>',
    imageUrl: `https://img.example.org/${i}.jpg`,
    link: `https://focus.example.org/en/item-${i}`,
    publishedAt: '2026-11-01T09:00:00.000Z',
    sourceId: id,
    fingerprint: 'f',
    firstSeenAt: '2026-11-01T09:00:00.000Z',
    changedAt: '2026-11-01T09:00:00.000Z',
  });
}
const ids = [...items.keys()];
const variant: Variant = {
  audience: 'economic',
  language: 'en',
  subject: 'Focus on Belgium – November 2026',
  preheader: 'News from Belgium',
  intro: 'Welcome to our November newsletter.\n\nHere is what is new.',
  blocks: ids.map(
    (id) =>
      ({ type: items.get(id)?.kind === 'famous-belgian' ? 'famous-belgian' : 'central', item: id }) as const,
  ),
};
const p = post('tokyo');
const edition = { id: 'ed_bench', title: 'Bench edition', revision: 1 };
const now = new Date();

// 1. Renders per second (after one warm-up render).
await renderVariant({ post: p, edition, variant, items, templates, now });
const renders = 30;
let t = performance.now();
let last: Awaited<ReturnType<typeof renderVariant>> | undefined;
for (let i = 0; i < renders; i++)
  last = await renderVariant({ post: p, edition, variant, items, templates, now });
const renderMs = (performance.now() - t) / renders;
if (!last) throw new Error('no render');
console.log(
  `render: 10-item variant, ${renders} renders: ${renderMs.toFixed(1)} ms each, ${(1000 / renderMs).toFixed(1)} renders/s (HTML ${(last.html.length / 1024).toFixed(0)} KiB, ${last.links.length} tracked links)`,
);

// 2. Personalisation per recipient.
const compiled = compileVariant(last, templates.labels.get('en') ?? {});
const keys = [{ id: 'k1', secret: 'b'.repeat(43) }];
const N = 100_000;
let bytes = 0;
const cpu0 = process.cpuUsage();
t = performance.now();
for (let i = 0; i < N; i++) {
  const links = recipientLinks('https://news.example.org', keys, {
    subscriberId: `sub_${i}`,
    editionId: 'ed_bench',
    post: 'tokyo',
    audience: 'economic',
    language: 'en',
  });
  const r = { name: i % 5 === 0 ? undefined : `Person ${i}`, links };
  bytes += compiled.html(r).length + compiled.text(r).length;
}
const wall = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const perRecipient = ((cpu.user + cpu.system) / N).toFixed(2);
console.log(
  `personalise: ${N} recipients in ${wall.toFixed(0)} ms wall: ${((wall * 1000) / N).toFixed(2)} µs/recipient wall, ${perRecipient} µs/recipient CPU (HTML + text + 2 signed tokens; ${(bytes / N / 1024).toFixed(0)} KiB per recipient)`,
);
console.log(
  `target: personalisation < 20 µs per recipient on one core -> ${Number(perRecipient) < 20 ? 'met' : 'NOT met'}`,
);
