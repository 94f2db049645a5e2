import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../functions/core/model';
import { signLink } from '../../functions/core/signed-links';
import { variantRender } from '../../functions/editions/service';
import type { LocalStack } from '../../functions/local/stack';
import { startLocalStack } from '../../functions/local/stack';
import { formStamp } from '../../functions/subscribers/consent';
import { requestSubscription } from '../../functions/subscribers/subscribe';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { smallSeeds } from '../helpers/seeds';
import { bearer, stackOptions, tokenFor } from '../helpers/stack';

/**
 * The double opt-in loop through the real local SES server: form → confirmation
 * mail → link (GET asks, POST confirms) → welcome mail, and what must not mail anyone.
 */
let stack: LocalStack;
const MIN_FILL = 1;

beforeAll(async () => {
  stack = await startLocalStack(
    stackOptions({
      seedsDir: await smallSeeds(20),
      env: { MISSIVE_SUBSCRIBE_MIN_FILL_SECONDS: String(MIN_FILL) },
    }),
  );
});
afterAll(async () => stack?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StoredMail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
}

/** Messages the local SES server holds for one address, oldest first. */
async function mailsTo(address: string): Promise<StoredMail[]> {
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: StoredMail[] };
  return store.emails.filter((e) => e.destination.to.some((to) => to.includes(address)));
}

/** The text part of a message, from the raw MIME the gate kept. */
async function textOf(mail: StoredMail): Promise<string> {
  const raw = await stack.ctx.outbox?.get(mail.messageId);
  if (!raw) throw new Error(`no raw MIME for ${mail.messageId}`);
  return (await simpleParser(raw)).text ?? '';
}

/** The hosted form's hidden stamp, as a browser would send it back. */
async function formFor(code: string, lang?: string) {
  const res = await fetch(`${stack.urls.api}/posts/${code}/subscribe${lang ? `?lang=${lang}` : ''}`);
  const html = await res.text();
  const stamp = /name="stamp" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const consentText = /name="consentText" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { res, html, stamp, consentText };
}

const post = (code: string, fields: [string, string][]) =>
  fetch(`${stack.urls.api}/posts/${code}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

/** A person filling in the hosted form at human speed. */
async function subscribeByForm(
  email: string,
  audiences: string[],
  language = 'en',
  name = 'Ada',
  pageLanguage = language,
) {
  const { stamp, consentText } = await formFor('tokyo', pageLanguage);
  await sleep(MIN_FILL * 1000 + 200);
  return post('tokyo', [
    ['email', email],
    ['name', name],
    ['language', language],
    ...audiences.map((a): [string, string] => ['audiences', a]),
    ['website', ''],
    ['stamp', stamp],
    ['consentText', consentText],
  ]);
}

const linkIn = (text: string, path: string) => {
  const m = new RegExp(`(http://[^\\s]+${path}\\?token=[^\\s]+)`).exec(text);
  if (!m?.[1]) throw new Error(`no ${path} link in:\n${text}`);
  return m[1];
};

async function subscriptionsOf(email: string) {
  const person = await stack.ctx.repos.subscribers.findByEmail(email);
  return person ? stack.ctx.repos.subscribers.subscriptionsOf(person.id) : [];
}

describe('double opt-in', () => {
  it('keeps the typed name without control characters or bidi overrides', async () => {
    const email = 'ada.bidi@example.org';
    const res = await subscribeByForm(email, ['economic'], 'en', 'Ada \u202E<b>moc.live</b>\u001b[2J\u2069 ');
    expect(res.status).toBe(200);
    expect((await stack.ctx.repos.subscribers.findByEmail(email))?.name).toBe('Ada <b>moc.live</b>[2J');
  });

  it('form → confirmation mail → GET asks, POST confirms → welcome; consent on record', async () => {
    const email = 'ada.loop@example.org';
    const res = await subscribeByForm(email, ['economic', 'cultural'], 'fr');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html lang="fr"/);

    const pending = await subscriptionsOf(email);
    expect(pending.map((s) => `${s.audience}:${s.status}:${s.language}`).sort()).toEqual([
      'cultural:pending:fr',
      'economic:pending:fr',
    ]);
    const consent = pending[0]?.consent;
    expect(consent?.source).toBe('form:tokyo');
    expect(consent?.client).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(pending)).not.toContain('127.0.0.1');
    const text = await stack.ctx.subscribe.store.getConsentText(consent?.textId ?? '');
    expect(text?.language).toBe('fr');
    // The post as a French reader calls it, not its English name.
    expect(text?.text).toMatch(/^J'accepte que Ambassade de Belgique au Japon/);
    // Pending expires after the documented 7 days.
    const now = Date.now() / 1000;
    expect(pending[0]?.expiresAt).toBeGreaterThan(now + 6.9 * 86_400);
    expect(pending[0]?.expiresAt).toBeLessThan(now + 7.1 * 86_400);
    // So does the person, and their address claim, if they never confirm.
    const claimKey = { pk: `EMAIL#${email}`, sk: 'EMAIL' };
    const raw = async (Key: Record<string, string>) =>
      (
        await stack.ctx.dynamo.doc.send(
          new GetCommand({ TableName: stack.ctx.settings.tables.subscribers, Key }),
        )
      ).Item;
    const person = await stack.ctx.repos.subscribers.findByEmail(email);
    expect(person?.expiresAt).toBe(pending[0]?.expiresAt);
    expect((await raw(claimKey))?.expiresAt).toBe(pending[0]?.expiresAt);

    const [confirmation, ...more] = await mailsTo(email);
    expect(more).toEqual([]);
    if (!confirmation) throw new Error('no confirmation mail');
    const confirmationText = await textOf(confirmation);
    const link = linkIn(confirmationText, '/confirm');
    expect(confirmation.subject).toContain('Ambassade de Belgique au Japon');
    expect(confirmationText).toContain('Ambassade de Belgique au Japon');
    expect(`${confirmation.subject}${confirmationText}`).not.toContain('Embassy of Belgium');

    // A mail scanner following the link confirms nothing.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post"/);
    expect((await subscriptionsOf(email)).every((s) => s.status === 'pending')).toBe(true);

    const confirmed = await fetch(link, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    const after = await subscriptionsOf(email);
    expect(after.map((s) => s.status)).toEqual(['confirmed', 'confirmed']);
    expect(after[0]?.consent?.confirmedAt).toBeDefined();
    expect(after[0]?.expiresAt).toBeUndefined();
    // Confirmed: the person is kept.
    expect((await stack.ctx.repos.subscribers.findByEmail(email))?.expiresAt).toBeUndefined();
    expect((await raw(claimKey))?.expiresAt).toBeUndefined();
    expect(after[0]?.consent?.textId).toBe(consent?.textId);

    const mails = await mailsTo(email);
    expect(mails).toHaveLength(2);
    expect(mails[0]?.subject).toMatch(/^Veuillez confirmer/);
    expect(mails[1]?.subject).toMatch(/^Bienvenue/);
    expect(mails[1]?.subject).toContain('Ambassade de Belgique au Japon');
    const welcome = await textOf(mails[1] as StoredMail);
    expect(welcome).toContain('Ambassade de Belgique au Japon');
    expect(welcome).not.toContain('Embassy of Belgium');
    // No sent edition yet: the welcome has no web-version link.
    expect(welcome).not.toContain('/web?token=');

    // Confirming again is harmless and sends no second welcome.
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    expect(await mailsTo(email)).toHaveLength(2);
  }, 60_000);

  it('asking again answers the same and sends no second confirmation within the window', async () => {
    const email = 'twice@example.org';
    const first = await subscribeByForm(email, ['economic']);
    // The same person, spelled in capitals: the same window.
    const second = await subscribeByForm(email.toUpperCase(), ['economic']);
    expect(first.status).toBe(second.status);
    expect(await first.text()).toBe(await second.text());
    expect(await mailsTo(email)).toHaveLength(1);
    // A confirmed person asking again gets no mail either, and the same answer.
    const known = await subscribeByForm('ada.loop@example.org', ['economic']);
    expect(known.status).toBe(first.status);
    expect(await mailsTo('ada.loop@example.org')).toHaveLength(2);
  }, 60_000);

  it('the welcome links to the latest sent edition; the link opens its web version', async () => {
    const summary = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const edition = await stack.ctx.repos.editions.get(summary?.id ?? '');
    if (!edition) throw new Error('no seeded Tokyo edition');
    // Marked sent as a send leaves it: every variant rendered and stored (the web version shows that).
    for (const v of edition.variants)
      await variantRender(stack.ctx.editions, edition, v.audience, v.language);
    await stack.ctx.repos.editions.save({ ...edition, status: 'sent' }, edition.version);
    // The post's own welcome text, as staff typed it (escaped in the HTML part).
    const tokyo = (await stack.ctx.repos.posts.get('tokyo')) as Post;
    const lang = edition.variants[0]?.language ?? 'en';
    await stack.ctx.repos.posts.put({ ...tokyo, welcome: { [lang]: 'Hello <b>friends</b> & neighbours' } });
    const email = 'welcome.link@example.org';
    await subscribeByForm(
      email,
      [edition.variants[0]?.audience ?? 'economic'],
      edition.variants[0]?.language,
    );
    const [confirmation] = await mailsTo(email);
    const link = linkIn(await textOf(confirmation as StoredMail), '/confirm');
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    const welcome = (await mailsTo(email))[1];
    if (!welcome) throw new Error('no welcome mail');
    const text = await textOf(welcome);
    expect(text).toContain('Hello <b>friends</b> & neighbours');
    const raw = (await stack.ctx.outbox?.get(welcome.messageId)) ?? Buffer.from('');
    const html = String((await simpleParser(raw)).html);
    expect(html).toContain('Hello &lt;b&gt;friends&lt;/b&gt; &amp; neighbours');
    expect(html).toContain(tokyo.branding.primaryColor);
    await stack.ctx.repos.posts.put(tokyo);
    const web = linkIn(text, '/web');
    const page = await fetch(web);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(edition.variants[0]?.subject ?? '');
  }, 60_000);

  it('a filled honeypot or a form sent back too fast answers the same and mails nobody', async () => {
    const { stamp } = await formFor('tokyo');
    const fast = await post('tokyo', [
      ['email', 'too.fast@example.org'],
      ['audiences', 'economic'],
      ['stamp', stamp],
    ]);
    await sleep(MIN_FILL * 1000 + 200);
    const honey = await post('tokyo', [
      ['email', 'honey.pot@example.org'],
      ['audiences', 'economic'],
      ['website', 'http://spam.example'],
      ['stamp', stamp],
    ]);
    const forgedStamp = await post('tokyo', [
      ['email', 'forged.stamp@example.org'],
      ['audiences', 'economic'],
      ['stamp', '1.local.forged'],
    ]);
    for (const res of [fast, honey, forgedStamp]) {
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/Check your inbox/);
    }
    for (const address of ['too.fast@example.org', 'honey.pot@example.org', 'forged.stamp@example.org']) {
      expect(await mailsTo(address)).toEqual([]);
      expect(await stack.ctx.repos.subscribers.findByEmail(address)).toBeUndefined();
    }
  }, 30_000);

  it('an expired or forged confirmation link gets a clear page and confirms nothing', async () => {
    const person = await stack.ctx.repos.subscribers.findByEmail('twice@example.org');
    const keys = [...stack.ctx.settings.signingKeys];
    const expired = signLink({ p: 'confirm', s: person?.id ?? '', o: 'tokyo', x: 1_000 }, keys);
    const forged = signLink({ p: 'confirm', s: person?.id ?? '', o: 'tokyo' }, [
      { id: 'local', secret: 'guessed-secret-guessed-secret-guessed' },
    ]);
    const wrongPurpose = signLink({ p: 'manage', s: person?.id ?? '', o: 'tokyo' }, keys);
    for (const token of [expired, forged, wrongPurpose]) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${stack.urls.api}/confirm?token=${encodeURIComponent(token)}`, { method });
        expect(res.status).toBe(400);
        expect(await res.text()).toMatch(/This confirmation link is not valid/);
      }
    }
    // In the browser's language when we write in it.
    const nl = await fetch(`${stack.urls.api}/confirm?token=${encodeURIComponent(expired)}`, {
      headers: { 'accept-language': 'ja;q=1, nl-BE;q=0.8, en;q=0.5' },
    });
    expect(nl.status).toBe(400);
    expect(await nl.text()).toMatch(/<html lang="nl"[\s\S]*Deze bevestigingslink is niet geldig/);
    expect((await subscriptionsOf('twice@example.org')).map((s) => s.status)).toEqual(['pending']);
  });

  it('a re-subscription after an unsubscribe needs a fresh confirmation', async () => {
    const email = 'again.later@example.org';
    await subscribeByForm(email, ['consular']);
    const link = linkIn(await textOf((await mailsTo(email))[0] as StoredMail), '/confirm');
    await fetch(link, { method: 'POST' });
    const person = await stack.ctx.repos.subscribers.findByEmail(email);
    const manage = signLink({ p: 'manage', s: person?.id ?? '', o: 'tokyo', a: 'consular' }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    await fetch(`${stack.urls.api}/unsubscribe?token=${encodeURIComponent(manage)}`, { method: 'POST' });
    expect((await subscriptionsOf(email)).map((s) => s.status)).toEqual(['unsubscribed']);
    // The old link does not bring them back.
    expect((await fetch(link, { method: 'POST' })).status).toBe(410);
    expect((await subscriptionsOf(email)).map((s) => s.status)).toEqual(['unsubscribed']);
    // Asking again (after the address window) makes them pending with a new confirmation.
    const later = { ...stack.ctx.subscribe, clock: { now: () => new Date(Date.now() + 11 * 60_000) } };
    const keys = [...stack.ctx.settings.signingKeys];
    expect(
      await requestSubscription(later, {
        post: 'tokyo',
        email,
        audiences: ['consular'],
        source: 'form:tokyo',
        stamp: formStamp(keys, new Date(Date.now())),
      }),
    ).toBe('sent');
    expect((await subscriptionsOf(email)).map((s) => s.status)).toEqual(['pending']);
    expect(await mailsTo(email)).toHaveLength(3);
  }, 60_000);

  it('records the consent text the page showed, even when another language is chosen', async () => {
    const email = 'shown.text@example.org';
    const { consentText } = await formFor('tokyo', 'en');
    await subscribeByForm(email, ['cultural'], 'nl', 'Bea', 'en');
    const [sub] = await subscriptionsOf(email);
    expect(sub?.language).toBe('nl');
    expect(sub?.consent?.textId).toBe(consentText);
    const text = await stack.ctx.subscribe.store.getConsentText(consentText);
    expect(text?.language).toBe('en');
    expect(text?.text).toMatch(/^I agree that the Embassy of Belgium in Japan/);
    // The confirmation is in the chosen language.
    expect((await mailsTo(email))[0]?.subject).toMatch(/^Bevestig uw inschrijving/);
    // Headquarters' pseudo-post has no form.
    expect((await fetch(`${stack.urls.api}/posts/hq/subscribe`)).status).toBe(404);
  }, 30_000);

  it('one client posting too often is dropped after its hourly allowance', async () => {
    const deps = { ...stack.ctx.subscribe, policy: { ...stack.ctx.subscribe.policy, clientPostsPerHour: 2 } };
    const stamp = formStamp([...stack.ctx.settings.signingKeys], new Date(Date.now() - 60_000));
    const ask = (n: number) =>
      requestSubscription(deps, {
        post: 'tokyo',
        email: `busy.client.${n}@example.org`,
        audiences: ['economic'],
        source: 'form:tokyo',
        client: '203.0.113.9|busy-bot/1.0',
        stamp,
      });
    expect([await ask(1), await ask(2), await ask(3)]).toEqual(['sent', 'sent', 'ignored']);
    expect(await mailsTo('busy.client.3@example.org')).toEqual([]);
    // Another client is not held back by that one.
    expect(
      await requestSubscription(deps, {
        post: 'tokyo',
        email: 'other.client@example.org',
        audiences: ['economic'],
        source: 'form:tokyo',
        client: '198.51.100.7|browser',
        stamp,
      }),
    ).toBe('sent');
  });

  it('a mistake in the form gets a page naming the field; JSON gets a 400 naming it', async () => {
    const { stamp } = await formFor('tokyo');
    await sleep(MIN_FILL * 1000 + 200);
    const form = await post('tokyo', [
      ['email', 'not-an-address'],
      ['audiences', 'economic'],
      ['stamp', stamp],
    ]);
    expect(form.status).toBe(400);
    // The form again, as filled in, the message next to the field (and in the summary on top).
    const again = await form.text();
    expect(again).toContain('<p class="field-error" id="field-email-error">Enter a valid email address');
    expect(again).toMatch(
      /<input type="email" id="field-email" name="email" value="not-an-address"[^>]*aria-invalid="true"/,
    );
    expect(again).toContain('<a href="#field-email">Enter a valid email address');
    expect(again).toMatch(/value="economic" checked/);
    const json = await fetch(`${stack.urls.api}/posts/tokyo/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'someone@example.org', audiences: ['nope'], stamp }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { message: string } }).error.message).toBe(
      'audiences: "nope" is not a newsletter of tokyo',
    );
    expect((await fetch(`${stack.urls.api}/posts/atlantis/subscribe`)).status).toBe(404);
  }, 30_000);
});

describe('the hosted form', () => {
  it('is plain HTML without script, in the asked language, branded, escaping what staff typed', async () => {
    const tokyo = (await stack.ctx.repos.posts.get('tokyo')) as Post;
    const audiences = tokyo.audiences.map((a, i) =>
      i === 0 ? { ...a, names: { ...a.names, nl: '<script>alert(1)</script> & "Trade"' } } : a,
    );
    await stack.ctx.repos.posts.put({
      ...tokyo,
      audiences,
      names: { ...tokyo.names, nl: 'Ambassade <b>Tokyo</b>' },
    });
    try {
      const { res, html } = await formFor('tokyo', 'nl');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${stack.urls.api}`);
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Trade&quot;');
      expect(html).not.toContain('<b>Tokyo</b>');
      // The post's name and its audiences' as a Dutch reader reads them.
      expect(html).toContain('Inschrijven op de nieuwsbrief van Ambassade &lt;b&gt;Tokyo&lt;/b&gt;');
      expect(html).toMatch(/<html lang="nl"/);
      expect(html).toContain(tokyo.branding.primaryColor);
      expect(html).toContain(`/posts/tokyo/subscribe"`);
      expect(html).toMatch(/name="website"/);
      for (const a of tokyo.audiences) expect(html).toContain(`value="${a.id}"`);
      // A language the post does not write in falls back to its default.
      expect((await formFor('tokyo', 'de')).html).toMatch(
        new RegExp(`<html lang="${tokyo.defaultLanguage}"`),
      );
    } finally {
      await stack.ctx.repos.posts.put(tokyo);
    }
  });
});

describe('staff add one person', () => {
  it('sends a confirmation from staff:<actor>, audited without the address; other posts refused', async () => {
    const token = await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]);
    const add = (code: string) =>
      fetch(`${stack.urls.api}/posts/${code}/subscribers`, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'added.by.staff@example.org',
          audiences: ['economic'],
          language: 'nl',
        }),
      });
    // Another post's list is not theirs to add to (404: it does not say it exists).
    expect((await add('kinshasa')).status).toBe(404);
    const res = await add('tokyo');
    expect(res.status).toBe(202);
    const subs = await subscriptionsOf('added.by.staff@example.org');
    expect(subs.map((s) => `${s.status}:${s.language}`)).toEqual(['pending:nl']);
    expect(subs[0]?.consent?.source).toBe('staff:user-post-editor');
    expect(await mailsTo('added.by.staff@example.org')).toHaveLength(1);
    const audit = await stack.ctx.audit.list('tokyo');
    const entry = audit.items.find((e) => e.action === 'subscribers.added');
    expect(entry?.actor).toBe('user-post-editor');
    expect(JSON.stringify(entry)).not.toContain('added.by.staff');
  }, 30_000);

  it(
    'missive subscribers add sends a confirmation; a mistake is one line and exit code 2',
    async () => {
      const ok = await missive(
        [
          'subscribers',
          'add',
          '--post',
          'tokyo',
          '--email',
          'cli.added@example.org',
          '--audience',
          'cultural',
          '--lang',
          'fr',
          '--as',
          'cli-test',
        ],
        stackEnv(stack),
      );
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^confirmation sent/);
      const subs = await subscriptionsOf('cli.added@example.org');
      expect(subs.map((s) => `${s.audience}:${s.status}:${s.language}:${s.consent?.source}`)).toEqual([
        'cultural:pending:fr:staff:cli-test',
      ]);
      const [mail] = await mailsTo('cli.added@example.org');
      expect(mail?.subject).toMatch(/^Veuillez confirmer/);

      const bad = await missive(
        ['subscribers', 'add', '--post', 'tokyo', '--email', 'x@example.org', '--audience', 'nope'],
        stackEnv(stack),
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toEqual([
        'missive: audiences: "nope" is not a newsletter of tokyo',
      ]);
      expect(await mailsTo('x@example.org')).toEqual([]);
    },
    SPAWNING.timeout,
  );
});
