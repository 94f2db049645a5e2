import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language, Subscriber, Subscription } from '../../functions/core/model';
import { signLink } from '../../functions/core/signed-links';
import type { LocalStack } from '../../functions/local/stack';
import { startSeededStack } from '../helpers/stack';

let stack: LocalStack;
const AT = '2026-01-01T00:00:00.000Z';

const person = (id: string, name: string, language: Language): Subscriber => ({
  id,
  email: `${id}@example.org`,
  name,
  language,
  consent: { at: AT, source: 'test' },
  createdAt: AT,
});
const sub = (
  subscriberId: string,
  post: string,
  audience: string,
  status: Subscription['status'],
  language: Language = 'en',
): Subscription => ({
  subscriberId,
  post,
  audience,
  language,
  status,
  updatedAt: AT,
  consent: { at: AT, source: 'test', confirmedAt: AT },
});

beforeAll(async () => {
  stack = await startSeededStack();
  await stack.ctx.repos.subscribers.importMany([
    // Alice: confirmed at Tokyo (economic) and Washington (cultural).
    {
      subscriber: person('sub_pref_alice', 'Alice Lambert', 'en'),
      subscriptions: [
        sub('sub_pref_alice', 'tokyo', 'economic', 'confirmed'),
        sub('sub_pref_alice', 'washington', 'cultural', 'confirmed'),
      ],
    },
    // Bob: only a pending subscription at Tokyo (he never confirmed).
    {
      subscriber: person('sub_pref_bob', 'Bob Peeters', 'nl'),
      subscriptions: [sub('sub_pref_bob', 'tokyo', 'cultural', 'pending')],
    },
    // Carol: another person at Berlin, whom nobody else's link may show.
    {
      subscriber: person('sub_pref_carol', 'Carol Secret-Name', 'de'),
      subscriptions: [sub('sub_pref_carol', 'berlin', 'consular', 'confirmed', 'de')],
    },
  ]);
});
afterAll(async () => stack?.stop());

const token = (s: string, o: string, extra: { g?: string; x?: number } = {}) =>
  signLink({ p: 'manage', s, o, ...extra }, [...stack.ctx.settings.signingKeys]);
const url = (t: string) => `${stack.urls.api}/preferences?token=${encodeURIComponent(t)}`;
const page = async (t: string) => (await fetch(url(t))).text();
const save = (t: string, fields: [string, string][]) =>
  fetch(url(t), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

/** Every confirmed member of a post audience in one language (the send's recipient index). */
async function members(post: string, audience: string, language: Language): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const p = await stack.ctx.repos.subscribers.confirmedMembers(post, audience, language, { cursor });
    ids.push(...p.items);
    cursor = p.cursor;
  } while (cursor);
  return ids;
}
const subscriptionsOf = (id: string) => stack.ctx.repos.subscribers.subscriptionsOf(id);

describe('the preference centre page', () => {
  it("shows the person's form for the link's post and the names of every post they receive", async () => {
    const html = await page(token('sub_pref_alice', 'tokyo'));
    expect(html).toContain('Your subscriptions: Embassy of Belgium in Japan');
    expect(html).toContain('<form method="post" action="/preferences?token&#x3D;');
    expect(html).toContain('name="name" value="Alice Lambert"');
    expect(html).toMatch(/name="audience" value="economic" checked>/);
    expect(html).toMatch(/name="audience" value="cultural">/);
    // Every post the person receives, by name; the link's own post's audiences only.
    expect(html).toContain('<li>Embassy of Belgium in Japan</li>');
    expect(html).toContain('<li>Embassy of Belgium in the United States</li>');
    expect(html).not.toContain('value="congress"');
    // Another person's data never.
    expect(html).not.toContain('Carol');
    expect(html).not.toContain('Botschaft');
    // The existing ways out stay.
    expect(html).toContain('scope&#x3D;post');
    expect(html).toContain('scope&#x3D;everything');
  });

  it('speaks the language of the link', async () => {
    const html = await page(token('sub_pref_alice', 'tokyo', { g: 'fr' }));
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Enregistrer mes préférences');
    expect(html).toContain('Lettres d&#x27;information de Ambassade de Belgique au Japon que vous recevez');
  });

  it('answers a forged, expired or missing token with the 400 page, on GET and POST, and changes nothing', async () => {
    const forged = signLink({ p: 'manage', s: 'sub_pref_alice', o: 'tokyo' }, [
      { id: 'local', secret: 'guessed-secret-guessed-secret-guessed' },
    ]);
    const expired = token('sub_pref_alice', 'tokyo', { x: Math.floor(Date.now() / 1000) - 60 });
    const read = signLink({ p: 'read', s: 'sub_pref_alice', o: 'tokyo' }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    for (const t of [forged, expired, read]) {
      const get = await fetch(url(t));
      expect(get.status).toBe(400);
      expect(await get.text()).toContain('This link does not work');
      const post = await save(t, [
        ['name', 'Mallory'],
        ['language', 'en'],
      ]);
      expect(post.status).toBe(400);
    }
    // CSRF: a form posted without the person's token does nothing.
    const bare = await fetch(`${stack.urls.api}/preferences`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Mallory&language=en',
    });
    expect(bare.status).toBe(400);
    expect((await stack.ctx.repos.subscribers.get('sub_pref_alice'))?.name).toBe('Alice Lambert');
  });
});

describe('saving the preference centre', () => {
  it('changes name, preferred language, audiences and their language; the members index follows', async () => {
    const t = token('sub_pref_alice', 'tokyo');
    const res = await save(t, [
      ['name', 'Alice Dupont'],
      ['language', 'fr'],
      ['postLanguage', 'fr'],
      ['audience', 'economic'],
      ['audience', 'cultural'],
    ]);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Your preferences are saved.');
    expect(html).toContain('value="Alice Dupont"');

    const profile = await stack.ctx.repos.subscribers.get('sub_pref_alice');
    expect([profile?.name, profile?.language]).toEqual(['Alice Dupont', 'fr']);
    // The next send reads the members index: Tokyo economic now in French, cultural added.
    expect(await members('tokyo', 'economic', 'fr')).toContain('sub_pref_alice');
    expect(await members('tokyo', 'economic', 'en')).not.toContain('sub_pref_alice');
    expect(await members('tokyo', 'cultural', 'fr')).toContain('sub_pref_alice');
    const cultural = (await subscriptionsOf('sub_pref_alice')).find(
      (s) => s.post === 'tokyo' && s.audience === 'cultural',
    );
    expect(cultural?.status).toBe('confirmed');
    expect(cultural?.consent?.source).toBe('preferences');
    // Another post is not this link's business.
    expect(await members('washington', 'cultural', 'en')).toContain('sub_pref_alice');
  });

  it('unsubscribes an unticked audience', async () => {
    const res = await save(token('sub_pref_alice', 'tokyo'), [
      ['name', 'Alice Dupont'],
      ['language', 'fr'],
      ['postLanguage', 'fr'],
      ['audience', 'cultural'],
    ]);
    expect(res.status).toBe(200);
    expect(await members('tokyo', 'economic', 'fr')).not.toContain('sub_pref_alice');
    expect(await members('tokyo', 'cultural', 'fr')).toContain('sub_pref_alice');
    const economic = (await subscriptionsOf('sub_pref_alice')).find(
      (s) => s.post === 'tokyo' && s.audience === 'economic',
    );
    expect(economic?.status).toBe('unsubscribed');
  });

  it('refuses to add an audience without a confirmed subscription at the post (double opt-in), changing nothing', async () => {
    const before = await subscriptionsOf('sub_pref_bob');
    const res = await save(token('sub_pref_bob', 'tokyo', { g: 'nl' }), [
      ['name', 'Bob Janssens'],
      ['language', 'nl'],
      ['audience', 'cultural'],
      ['audience', 'economic'],
    ]);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('Uw wijzigingen zijn niet opgeslagen');
    expect(html).toContain('inschrijvingsformulier van Ambassade van België in Japan');
    // The way on is the post's own form, with its double opt-in.
    const form = html.match(
      /<a href="([^"]+)">Inschrijven op de nieuwsbrieven van Ambassade van België in Japan<\/a>/,
    )?.[1];
    expect(form).toBe('/posts/tokyo/subscribe?lang&#x3D;nl');
    const subscribePage = await fetch(`${stack.urls.api}/posts/tokyo/subscribe?lang=nl`);
    expect(subscribePage.status).toBe(200);
    expect(await subscribePage.text()).toContain('name="email"');
    expect(await subscriptionsOf('sub_pref_bob')).toEqual(before);
    expect((await stack.ctx.repos.subscribers.get('sub_pref_bob'))?.name).toBe('Bob Peeters');
  });

  it('refuses an audience or a language the post does not have, with a line naming it, changing nothing', async () => {
    const t = token('sub_pref_alice', 'tokyo');
    const before = await subscriptionsOf('sub_pref_alice');
    const other = await save(t, [
      ['name', 'Alice X'],
      ['language', 'en'],
      ['audience', 'congress'],
    ]);
    expect(other.status).toBe(400);
    // Said next to the field it is about, in the link's language, the form as it was sent.
    const otherPage = await other.text();
    expect(otherPage).toContain('<fieldset id="field-audience" aria-describedby="field-audience-error">');
    expect(otherPage).toContain('id="field-audience-error">Something in the form is not right');
    expect(otherPage).toContain('value="Alice X"');
    const lang = await save(t, [
      ['name', 'Alice X'],
      ['language', 'en'],
      ['postLanguage', 'de'],
      ['audience', 'cultural'],
    ]);
    expect(lang.status).toBe(400);
    expect(await lang.text()).toContain('id="field-postLanguage-error">Choose one of the languages offered');
    const bad = await save(t, [
      ['name', 'Alice X'],
      ['language', 'xx'],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(
      /<select id="field-language" name="language" aria-describedby="field-language-error" aria-invalid="true">/,
    );
    expect(await subscriptionsOf('sub_pref_alice')).toEqual(before);
    expect((await stack.ctx.repos.subscribers.get('sub_pref_alice'))?.name).toBe('Alice Dupont');
  });

  it('escapes what the person typed', async () => {
    const t = token('sub_pref_alice', 'tokyo');
    const typed = '<script>alert(1)</script>"><b>';
    const res = await save(t, [
      ['name', typed],
      ['language', 'fr'],
      ['postLanguage', 'fr'],
      ['audience', 'cultural'],
    ]);
    expect(res.status).toBe(200);
    const html = await page(t);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('"><b>');
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;b&gt;"');
  });

  it("from an HQ broadcast's link: changes name and language, and no post's subscriptions", async () => {
    const before = await subscriptionsOf('sub_pref_alice');
    const t = token('sub_pref_alice', 'hq');
    const html = await page(t);
    expect(html).toContain('Your subscriptions in the network');
    expect(html).not.toContain('name="audience"');
    const res = await save(t, [
      ['name', 'Alice Martin'],
      ['language', 'nl'],
      ['audience', 'economic'],
    ]);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your preferences are saved.');
    const profile = await stack.ctx.repos.subscribers.get('sub_pref_alice');
    expect([profile?.name, profile?.language]).toEqual(['Alice Martin', 'nl']);
    expect(await subscriptionsOf('sub_pref_alice')).toEqual(before);
  });

  it('a valid link for nobody answers like any other and creates nobody', async () => {
    const res = await save(token('sub_pref_nobody', 'tokyo'), [
      ['name', 'Ghost'],
      ['language', 'en'],
    ]);
    expect(res.status).toBe(200);
    expect(await stack.ctx.repos.subscribers.get('sub_pref_nobody')).toBeUndefined();
  });

  it("keeps a name without bidi overrides (they would reorder a staff list's line)", async () => {
    const t = token('sub_pref_alice', 'hq');
    const res = await save(t, [
      ['name', '\u202EAlice \u2066Martin\u2069 '],
      ['language', 'nl'],
    ]);
    expect(res.status).toBe(200);
    expect((await stack.ctx.repos.subscribers.get('sub_pref_alice'))?.name).toBe('Alice Martin');
  });
});
