import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { type AppBrowser, startAppBrowser, WAIT } from '../helpers/browser';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';

/**
 * A reader of Tokyo's French newsletters, in a browser with JavaScript turned off and
 * a phone's width: subscribe (a mistake first), confirm from the mail the local SES
 * received, change their preferences, unsubscribe. Every page in French, the post
 * named as a French reader calls it, axe-checked, screenshots kept.
 */
let stack: LocalStack;
let app: AppBrowser;
let reader: BrowserContext;
const PHONE = { width: 375, height: 800 };
/** The stack's minimum fill time of the form (a bot answers faster). */
const MIN_FILL = 1;
const EMAIL = 'lea.martin@example.org';
const POST_FR = 'Ambassade de Belgique au Japon';

beforeAll(async () => {
  stack = await startLocalStack(
    stackOptions({
      seedsDir: await smallSeeds(20),
      env: { MISSIVE_SUBSCRIBE_MIN_FILL_SECONDS: String(MIN_FILL) },
    }),
  );
  app = await startAppBrowser(stack.urls.api, 'missive-e2e-subscribers-');
  reader = await app.browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
  reader.setDefaultTimeout(WAIT);
}, 180_000);
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The page as the reader sees it (a screenshot), nothing wider than the phone, then
 * axe-core. axe needs script and timers, which this browser runs none of: it checks
 * the same HTML in a page of the app's browser, at the same width.
 */
async function check(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(app.shots, `reader-${name}.png`), fullPage: true });
  expect(
    Number(await page.evaluate('document.documentElement.scrollWidth')),
    `${name}: width`,
  ).toBeLessThanOrEqual(PHONE.width);
  const copy = await app.context.newPage();
  await copy.setViewportSize(PHONE);
  await copy.setContent(await page.content());
  await app.checkAccessibility(copy, `reader-${name}`);
  await copy.close();
}

interface StoredMail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
}

/** The messages the local SES server holds for the reader, oldest first, parsed from the raw MIME. */
async function mails() {
  await stack.ses.settled();
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: StoredMail[] };
  const mine = store.emails.filter((e) => e.destination.to.some((to) => to.includes(EMAIL)));
  return Promise.all(
    mine.map(async (m) => simpleParser((await stack.ctx.outbox?.get(m.messageId)) ?? Buffer.from(''))),
  );
}

/** Tokyo's subscriptions of the reader, as "audience:status". */
async function subscriptions(): Promise<string[]> {
  const person = await stack.ctx.repos.subscribers.findByEmail(EMAIL);
  const all = person ? await stack.ctx.repos.subscribers.subscriptionsOf(person.id) : [];
  return all.map((s) => `${s.audience}:${s.status}`).sort();
}

let manageToken = '';

describe("the subscribers' pages without JavaScript, in French, at phone width", () => {
  it('subscribes: a mistake is said next to its field, then the form is accepted', async () => {
    const page = await reader.newPage();
    const res = await page.goto(`${stack.urls.api}/posts/tokyo/subscribe?lang=fr`);
    expect(res?.status()).toBe(200);
    // Nothing runs: the CSP allows no script, only the page's own stylesheet.
    expect(res?.headers()['content-security-policy']).toMatch(/style-src 'sha256-[^']+'/);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page
      .getByRole('heading', { level: 1, name: `S'abonner à la lettre d'information de ${POST_FR}` })
      .waitFor();
    await page.getByRole('link', { name: 'Nederlands' }).waitFor();
    await check(page, 'subscribe');

    // The keyboard reaches every control in order, never the bots' hidden field.
    const focused: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        String(await page.evaluate('document.activeElement.id || document.activeElement.textContent')),
      );
    }
    expect(focused).toEqual(expect.arrayContaining(['field-audiences-0', 'field-language', 'field-email']));
    expect(focused).not.toContain('website');
    expect(focused.indexOf('field-audiences-0')).toBeLessThan(focused.indexOf('field-email'));

    await page.getByLabel('Culture et science').check();
    await page.getByLabel('Adresse e-mail').fill('lea.martin@');
    await sleep(MIN_FILL * 1000 + 300);
    await page.getByRole('button', { name: "S'abonner" }).click();
    // The form again, as filled in, the message next to the email field and in the summary.
    const email = page.getByLabel('Adresse e-mail');
    await page.locator('#field-email-error').waitFor();
    expect(await page.locator('#field-email-error').textContent()).toContain(
      'Saisissez une adresse e-mail valable',
    );
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toContain('field-email-error');
    expect(await email.inputValue()).toBe('lea.martin@');
    expect(await page.getByLabel('Culture et science').isChecked()).toBe(true);
    await page
      .getByRole('alert')
      .getByRole('link', { name: /Saisissez une adresse e-mail valable/ })
      .waitFor();
    expect(await page.title()).toMatch(/^Il y a un problème: /);
    await check(page, 'subscribe-error');

    await page.getByLabel('Commerce et investissements').check();
    await email.fill(EMAIL);
    await sleep(MIN_FILL * 1000 + 300);
    await page.getByRole('button', { name: "S'abonner" }).click();
    await page.getByRole('heading', { name: 'Consultez votre boîte de réception' }).waitFor();
    await check(page, 'subscribe-sent');
    expect(await subscriptions()).toEqual(['cultural:pending', 'economic:pending']);
    await page.close();
  }, 90_000);

  it('confirms from the link of the French confirmation mail, which names the post in French', async () => {
    const [confirmation] = await mails();
    expect(confirmation?.subject).toBe(
      `Veuillez confirmer votre abonnement à la lettre d'information de ${POST_FR}`,
    );
    expect(confirmation?.text).toContain(POST_FR);
    expect(confirmation?.text).not.toContain('Embassy of Belgium');
    const link = /(http:\/\/\S+\/confirm\?token=\S+)/.exec(confirmation?.text ?? '')?.[1] ?? '';
    expect(link).not.toBe('');

    const page = await reader.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Confirmez votre abonnement' }).waitFor();
    expect(await page.getByText(POST_FR).count()).toBeGreaterThan(0);
    await check(page, 'confirm');
    await page.getByRole('button', { name: 'Confirmer mon abonnement' }).click();
    await page.getByRole('heading', { name: 'Votre abonnement est confirmé' }).waitFor();
    await check(page, 'confirmed');
    expect(await subscriptions()).toEqual(['cultural:confirmed', 'economic:confirmed']);

    // The welcome, in French too; its List-Unsubscribe link carries the reader's own token.
    const welcome = (await mails())[1];
    expect(welcome?.subject).toBe(`Bienvenue dans la lettre d'information de ${POST_FR}`);
    expect(welcome?.text).toContain(POST_FR);
    const header = welcome?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    manageToken = /\/unsubscribe\?token=([^>\s]+)>/.exec(header.replace(/\r?\n\s+/g, ''))?.[1] ?? '';
    expect(manageToken).not.toBe('');
    await page.close();
  }, 60_000);

  it('changes the preferences: one newsletter fewer, a name, and says so', async () => {
    const page = await reader.newPage();
    await page.goto(`${stack.urls.api}/preferences?token=${manageToken}`);
    await page.getByRole('heading', { name: `Vos abonnements : ${POST_FR}` }).waitFor();
    await check(page, 'preferences');
    await page.getByLabel('Votre nom').fill('Léa Martin');
    await page.getByLabel('Commerce et investissements').uncheck();
    await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
    await page.getByRole('status').filter({ hasText: 'Vos préférences sont enregistrées' }).waitFor();
    expect(await page.getByLabel('Commerce et investissements').isChecked()).toBe(false);
    expect(await page.getByLabel('Votre nom').inputValue()).toBe('Léa Martin');
    await check(page, 'preferences-saved');
    expect(await subscriptions()).toEqual(['cultural:confirmed', 'economic:unsubscribed']);
    expect((await stack.ctx.repos.subscribers.findByEmail(EMAIL))?.name).toBe('Léa Martin');
    await page.close();
  }, 60_000);

  it('unsubscribes: a page that asks first, then says it is done', async () => {
    const page = await reader.newPage();
    await page.goto(`${stack.urls.api}/unsubscribe?token=${manageToken}`);
    await page.getByRole('heading', { name: 'Se désabonner' }).waitFor();
    // Following the link changed nothing: mail scanners follow links too.
    expect(await subscriptions()).toEqual(['cultural:confirmed', 'economic:unsubscribed']);
    await check(page, 'unsubscribe');
    await page.getByRole('button', { name: 'Me désabonner', exact: true }).click();
    await page.getByRole('heading', { name: 'Vous êtes désabonné·e' }).waitFor();
    await page.getByText(POST_FR).first().waitFor();
    await check(page, 'unsubscribed');
    expect(await subscriptions()).toEqual(['cultural:unsubscribed', 'economic:unsubscribed']);
    await page.close();
  }, 60_000);

  it('a broken link gets a page in the reader language that says what to do', async () => {
    const page = await reader.newPage();
    await page.setExtraHTTPHeaders({ 'accept-language': 'nl-BE,nl;q=0.9' });
    const res = await page.goto(`${stack.urls.api}/preferences?token=broken`);
    expect(res?.status()).toBe(400);
    await page.getByRole('heading', { name: 'Deze link werkt niet' }).waitFor();
    await check(page, 'broken-link');
    await page.close();
  });
});
