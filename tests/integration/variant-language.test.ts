import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientLinks } from '../../functions/core/recipient-links';
import { signLink } from '../../functions/core/signed-links';
import { variantRender } from '../../functions/editions/service';
import type { LocalStack } from '../../functions/local/stack';
import { startSeededStack } from '../helpers/stack';

/**
 * Issue 21, item 5: every word of a variant in its language. The seeded Tokyo post
 * (default language English) read in French: its heading, post and audience names.
 */
let stack: LocalStack;
let editionId: string;

/** Every English name the Tokyo post and its audiences carry: none may show in a French variant. */
const ENGLISH_NAMES = [
  'Embassy of Belgium in Japan',
  'Trade and investment',
  'Culture and science',
  'Belgians in Japan',
];

const linksFor = (language: string, audience = 'economic', subscriberId = 'sub_variant_reader') =>
  recipientLinks(stack.urls.api, stack.ctx.settings.signingKeys, {
    subscriberId,
    editionId,
    post: 'tokyo',
    audience,
    language,
  });

beforeAll(async () => {
  stack = await startSeededStack();
  const summary = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
  const edition = summary && (await stack.ctx.repos.editions.get(summary.id));
  if (!edition) throw new Error('no seeded Tokyo edition');
  editionId = edition.id;
  // A read link comes from a message, whose variant was rendered for it: the web version shows that render.
  for (const [audience, language] of [
    ['economic', 'fr'],
    ['cultural', 'nl'],
  ] as const)
    await variantRender(stack.ctx.editions, edition, audience, language);
});
afterAll(async () => stack?.stop());

describe('a French variant of a seeded post', () => {
  it('renders its heading, the post and the audience names in French, no English name left', async () => {
    const res = await fetch(linksFor('fr').web);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toMatch(/class="edition-title"[\s\S]*?Focus on Belgium – Tokyo, novembre 2026/);
    expect(html).not.toContain('November 2026');
    expect(html).toContain('Ambassade de Belgique au Japon');
    // The footer: « audience » (post), both in French.
    expect(html).toContain('inscrit·e à « Commerce et investissements » (Ambassade de Belgique au Japon)');
    for (const english of ENGLISH_NAMES) expect(html).not.toContain(english);
  });

  it('in Dutch, the Dutch names', async () => {
    const html = await (await fetch(linksFor('nl', 'cultural').web)).text();
    expect(html).toContain('Ambassade van België in Japan');
    expect(html).toContain('&quot;Cultuur en wetenschap&quot;');
    expect(html).toMatch(/class="edition-title"[\s\S]*?Focus on Belgium – Tokio, november 2026/);
    for (const english of ENGLISH_NAMES) expect(html).not.toContain(english);
  });
});

describe("the web version's footer links", () => {
  it('lead somewhere: the web version to itself, preferences and unsubscribe to a page saying to use the email', async () => {
    const links = linksFor('fr');
    const html = await (await fetch(links.web)).text();
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.filter((h) => h === '' || h.startsWith('#'))).toEqual([]);
    // "Voir dans le navigateur" is this very page (the same read token); the two others explain.
    expect(html).toContain(`href="${links.web}"`);
    const manage = html.match(/<a href="([^"]+)"[^>]*>Se désabonner<\/a>/)?.[1];
    expect(manage).toBe(`${stack.urls.api}/web/manage?lang=fr`);
    expect(html).toContain(`href="${manage}"`);
    // Nothing in it can unsubscribe the recipient: no manage token at all.
    expect(html).not.toMatch(/\/(unsubscribe|preferences)\?token=/);
    const page = await fetch(manage ?? '');
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<html lang="fr">');
    expect(text).toContain('utilisez les liens au bas du message que vous avez reçu');
  });

  it('the explaining page falls back to English for a language it does not know', async () => {
    const text = await (await fetch(`${stack.urls.api}/web/manage?lang=xx`)).text();
    expect(text).toContain('use the links at the bottom of the email you received');
  });
});

describe('the unsubscribe page', () => {
  const unsubscribe = async (subscriberId: string, audience: string, language: string) => {
    const token = signLink({ p: 'manage', s: subscriberId, o: 'tokyo', a: audience, g: language }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    const res = await fetch(`${stack.urls.api}/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('names the one audience it stopped, in the language of the email', async () => {
    const now = new Date().toISOString();
    await stack.ctx.repos.subscribers.putSubscription({
      subscriberId: 'sub_variant_one',
      post: 'tokyo',
      audience: 'economic',
      language: 'fr',
      status: 'confirmed',
      updatedAt: now,
    });
    const html = await unsubscribe('sub_variant_one', 'economic', 'fr');
    expect(html).toContain(
      'Vous ne recevrez plus la lettre d&#x27;information « Commerce et investissements » (Ambassade de Belgique au Japon).',
    );
    const after = await stack.ctx.repos.subscribers.subscriptionsOf('sub_variant_one');
    expect(after.map((s) => s.status)).toEqual(['unsubscribed']);
  });

  it('says "the newsletter of the post" when it stopped several audiences', async () => {
    const now = new Date().toISOString();
    for (const audience of ['economic', 'cultural'])
      await stack.ctx.repos.subscribers.putSubscription({
        subscriberId: 'sub_variant_two',
        post: 'tokyo',
        audience,
        language: 'nl',
        status: 'confirmed',
        updatedAt: now,
      });
    const html = await unsubscribe('sub_variant_two', 'economic', 'nl');
    expect(html).toContain('U ontvangt de nieuwsbrief van Ambassade van België in Japan niet meer.');
    expect(html).not.toContain('Handel en investeringen');
  });
});
