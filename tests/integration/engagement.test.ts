import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber, Subscription } from '../../functions/core/model';
import { createEdition, scheduleEdition, submitEdition } from '../../functions/editions/service';
import { linkCounter, scopes } from '../../functions/engagement/model';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/**
 * Opens and clicks end to end: an edition is sent through the local SES server, the
 * pixel and links of a received message are followed over HTTP, and the edition's
 * counters move through the engagement queue, as they do on AWS.
 */
let stack: LocalStack;
let editionId: string;
/** Each reader's message: its pixel URL and its tracked links. */
const messages = new Map<string, { pixel: string; links: string[] }>();
const at = '2026-01-01T00:00:00Z';
const reader = (n: number): { subscriber: Subscriber; subscriptions: Subscription[] } => ({
  subscriber: {
    id: `sub_eng_${n}`,
    email: `reader${n}@example.org`,
    name: '',
    language: 'fr',
    consent: { at, source: 'test' },
    createdAt: at,
  },
  subscriptions: [
    {
      subscriberId: `sub_eng_${n}`,
      post: 'casablanca',
      audience: 'economic',
      language: 'fr',
      status: 'confirmed',
      updatedAt: at,
    },
  ],
});

const edition = async () => (await stack.ctx.counters.read(scopes.edition(editionId))).counts;

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(0), schedulerMs: 100 }));
  await stack.ctx.repos.subscribers.importMany([1, 2, 3].map(reader));
  const actor = { id: 'editor', roles: ['post-editor'] };
  const draft = await createEdition(stack.ctx.editions, actor, 'casablanca', {
    title: 'Engagement',
    sensitive: false,
    variants: [
      {
        audience: 'economic',
        language: 'fr',
        subject: 'Nouvelles',
        preheader: '',
        intro: 'Bonjour',
        blocks: [
          { type: 'cta', label: 'Un', url: 'https://example.org/one' },
          { type: 'cta', label: 'Deux', url: 'https://example.org/two' },
          { type: 'cta', label: 'Trois', url: 'https://example.org/three' },
        ],
      },
    ],
  });
  editionId = draft.id;
  const approved = await submitEdition(stack.ctx.editions, actor, draft);
  await scheduleEdition(stack.ctx.editions, { id: 'approver', roles: ['post-approver'] }, approved);
  await waitFor(async () => (await stack.ctx.repos.editions.get(draft.id))?.status === 'sent');
  await stack.ses.settled();
  for (const id of stack.ctx.outbox?.ids() ?? []) {
    const mail = await simpleParser((await stack.ctx.outbox?.get(id)) ?? Buffer.from(''));
    const html = String(mail.html);
    const to = mail.headerLines.find((h) => h.key === 'x-missive-recipient')?.line.split(': ')[1] ?? '';
    messages.set(to, {
      pixel: /src="([^"]*\/o\/[^"]+\.gif)"/.exec(html)?.[1] ?? '',
      links: [...new Set([...html.matchAll(/href="([^"]*\/r\/[^"]+\/\d+)"/g)].map((m) => m[1] ?? ''))],
    });
  }
}, 120_000);
afterAll(async () => stack?.stop());

const browser = { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0' };

describe('opens and clicks of a sent edition', () => {
  it('every message carries an open pixel and tracked links', () => {
    expect(messages.size).toBe(3);
    for (const m of messages.values()) {
      expect(m.pixel).toMatch(/^http:\/\/localhost:\d+\/o\/.+\.gif$/);
      expect(m.links.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('the pixel answers a 1x1 GIF never cached, and counts an open: totals grow, uniques do not', async () => {
    const m = messages.get('sub_eng_1');
    const first = await fetch(m?.pixel ?? '', { headers: browser });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/gif');
    expect(first.headers.get('cache-control')).toMatch(/no-store/);
    expect(
      Buffer.from(await first.arrayBuffer())
        .subarray(0, 6)
        .toString(),
    ).toBe('GIF89a');
    await waitFor(async () => (await edition()).opens === 1);
    await fetch(m?.pixel ?? '', { headers: browser });
    await waitFor(async () => (await edition()).opens === 2);
    const counts = await edition();
    expect(counts.uopens).toBe(1);
    expect(counts.uopens_h).toBe(1);
    // A forged or mangled pixel still answers the GIF, and counts nothing.
    const forged = await fetch(`${m?.pixel.replace(/\.[^.]+\.gif$/, '.AAAA.gif')}`);
    expect(forged.status).toBe(200);
    expect(forged.headers.get('content-type')).toBe('image/gif');
  });

  it('a click redirects and counts per link; a repeat counts in totals only', async () => {
    const link = messages.get('sub_eng_2')?.links[0] ?? '';
    const res = await fetch(link, { redirect: 'manual', headers: browser });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/example\.org\//);
    await fetch(link, { redirect: 'manual', headers: browser });
    await waitFor(async () => (await edition()).clicks === 2);
    const counts = await edition();
    expect(counts.uclicks).toBe(1);
    expect(counts.uclicks_h).toBe(1);
    const n = Number(link.split('/').pop());
    expect(counts[linkCounter(n, false)]).toBe(2);
    expect(counts[linkCounter(n, true)]).toBe(1);
    const variant = await stack.ctx.counters.read(scopes.variant(editionId, 'economic', 'fr'));
    expect(variant.counts.clicks).toBe(2);
  });

  it('a scanner that clicks every link within seconds counts as machine, not human', async () => {
    const before = await edition();
    const links = messages.get('sub_eng_3')?.links ?? [];
    // A gateway checks them all at once (and with HEAD).
    await Promise.all([
      ...links.map((link) => fetch(link, { redirect: 'manual', headers: browser })),
      fetch(links[0] ?? '', { method: 'HEAD', redirect: 'manual' }),
    ]);
    await waitFor(async () => (await edition()).clicks === (before.clicks ?? 0) + links.length + 1);
    const after = await edition();
    expect((after.clicks_machine ?? 0) - (before.clicks_machine ?? 0)).toBe(links.length + 1);
    expect(after.clicks_h).toBe(before.clicks_h);
    expect(after.uclicks_h).toBe(before.uclicks_h);
  });

  it('a click link given another URL in any form redirects nowhere else', async () => {
    const link = messages.get('sub_eng_1')?.links[0] ?? '';
    const token = link.split('/r/')[1]?.split('/')[0] ?? '';
    const base = link.split('/r/')[0];
    const attempts = [
      `${link}?url=https://evil.example`,
      `${link}?next=//evil.example`,
      `${base}/r/${token}/https%3A%2F%2Fevil.example`,
      `${base}/r/${token}/%2F%2Fevil.example`,
      `${base}/r/${token}//evil.example`,
      `${base}/r/${token}/0x0`,
      `${base}/r/${token}/-1`,
      `${base}/r/https%3A%2F%2Fevil.example/0`,
    ];
    for (const url of attempts) {
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (location) expect(location).toMatch(/^https:\/\/example\.org\/(one|two|three)/);
      else expect(res.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('a link whose token no longer verifies still leads to its own target, counting nothing; an unknown link gets a page in the edition language', async () => {
    await waitFor(async () => stack.idle());
    const before = (await edition()).clicks;
    const link = messages.get('sub_eng_1')?.links[1] ?? '';
    const [prefix, rest] = link.split('/r/');
    const [token, n] = (rest ?? '').split('/');
    const parts = (token ?? '').split('.');
    const badSignature = `${parts[0]}.${parts[1]}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    const res = await fetch(`${prefix}/r/${badSignature}/${n}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/example\.org\//);
    const unknown = await fetch(`${prefix}/r/${token}/99`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Lien indisponible');
    await new Promise((r) => setTimeout(r, 500));
    await waitFor(async () => stack.idle());
    expect((await edition()).clicks).toBe(before);
  });

  it('the web version counts as an open', async () => {
    const before = await edition();
    const token =
      messages
        .get('sub_eng_3')
        ?.pixel.split('/o/')[1]
        ?.replace(/\.gif$/, '') ?? '';
    const res = await fetch(`${stack.urls.api}/web?token=${token}`, { headers: browser });
    expect(res.status).toBe(200);
    await waitFor(async () => (await edition()).webviews === (before.webviews ?? 0) + 1);
    const after = await edition();
    expect(after.opens).toBe((before.opens ?? 0) + 1);
    expect(after.uopens).toBe((before.uopens ?? 0) + 1);
  });

  it('SES Send and Delivery events of the send are counted per edition, post and network', async () => {
    const counts = await edition();
    expect(counts.sent).toBe(3);
    expect(counts.delivered).toBe(3);
    const month = new Date().toISOString().slice(0, 7);
    const post = await stack.ctx.counters.read(scopes.postMonth('casablanca', month));
    expect(post.counts.sent).toBeGreaterThanOrEqual(3);
    const network = await stack.ctx.counters.read(scopes.networkMonth(month));
    expect(network.counts.delivered).toBeGreaterThanOrEqual(3);
  });
});
