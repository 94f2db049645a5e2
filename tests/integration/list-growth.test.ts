import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '../../functions/core/signed-links';
import { postCounter, reportScopes, scopes } from '../../functions/engagement/model';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { buildReport } from '../../functions/reports/export';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';

/**
 * List growth as a person makes it, through the real local stack: the form (new), the
 * confirmation link (confirmed), the email's one-click unsubscribe (unsubscribed),
 * each counted on the post's month and the network's per-post month, and shown by the
 * post report.
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

interface StoredMail {
  messageId: string;
  destination: { to: string[] };
}

async function linkTo(address: string, path: string): Promise<string> {
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: StoredMail[] };
  const mail = store.emails.filter((e) => e.destination.to.some((to) => to.includes(address))).at(-1);
  const raw = mail ? await stack.ctx.outbox?.get(mail.messageId) : undefined;
  const text = raw ? ((await simpleParser(raw)).text ?? '') : '';
  const m = new RegExp(`(http://[^\\s]+${path}\\?token=[^\\s]+)`).exec(text);
  if (!m?.[1]) throw new Error(`no ${path} link mailed to ${address}`);
  return m[1];
}

const month = () => new Date().toISOString().slice(0, 7);
const postMonth = async () => (await stack.ctx.counters.read(scopes.postMonth('tokyo', month()))).counts;

describe('list growth counters', () => {
  it('counts a sign-up, its confirmation and its unsubscribe, once each', async () => {
    const form = await (await fetch(`${stack.urls.api}/posts/tokyo/subscribe?lang=en`)).text();
    const stamp = /name="stamp" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const consentText = /name="consentText" value="([^"]+)"/.exec(form)?.[1] ?? '';
    await new Promise((r) => setTimeout(r, MIN_FILL * 1000 + 200));
    const email = 'grace.growth@example.org';
    const ask = () =>
      fetch(`${stack.urls.api}/posts/tokyo/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([
          ['email', email],
          ['name', 'Grace'],
          ['language', 'en'],
          ['audiences', 'economic'],
          ['audiences', 'cultural'],
          ['website', ''],
          ['stamp', stamp],
          ['consentText', consentText],
        ]).toString(),
      });
    expect((await ask()).status).toBe(200);
    expect(await postMonth()).toMatchObject({ list_new: 2 });

    const confirm = await linkTo(email, '/confirm');
    expect((await fetch(confirm, { method: 'POST' })).status).toBe(200);
    // A second click on the link confirms nothing more.
    expect((await fetch(confirm, { method: 'POST' })).status).toBe(200);
    expect(await postMonth()).toMatchObject({ list_new: 2, list_confirmed: 2 });

    // The email's one-click unsubscribe (RFC 8058), with the link a newsletter carries: the post's newsletter stops.
    const person = await stack.ctx.repos.subscribers.findByEmail(email);
    const token = signLink(
      { p: 'manage', s: person?.id ?? '', o: 'tokyo', a: 'economic', g: 'en' },
      stack.ctx.settings.signingKeys,
    );
    const res = await fetch(`${stack.urls.api}/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBeLessThan(400);
    expect(await postMonth()).toMatchObject({ list_new: 2, list_confirmed: 2, list_unsubscribed: 2 });
    const network = (await stack.ctx.counters.read(reportScopes.networkPosts(month()))).counts;
    expect(network[postCounter('list_unsubscribed', 'tokyo')]).toBe(2);

    const report = await buildReport(stack.ctx.reports, {
      kind: 'post',
      code: 'tokyo',
      from: month(),
      to: month(),
    });
    const growth = report.tables.find((t) => t.name === 'list-growth')?.rows.at(-1);
    expect(growth).toMatchObject({ new: 2, confirmed: 2, unsubscribed: 2, cleaned: 0, net: 0 });
  });

  it('counts the confirmed subscriptions a hard bounce or complaint cleans, per post', async () => {
    const at = new Date().toISOString();
    for (const [post, audience, status] of [
      ['tokyo', 'economic', 'confirmed'],
      ['tokyo', 'cultural', 'pending'],
      ['berlin', 'economic', 'confirmed'],
    ] as const)
      await stack.ctx.repos.subscribers.putSubscription({
        subscriberId: 'sub_growth_bounced',
        post,
        audience,
        language: 'en',
        status,
        updatedAt: at,
      });
    const before = (await postMonth()).list_cleaned ?? 0;
    // What the engagement recorder calls after suppressing a hard-bounced address.
    await stack.ctx.engagement.unsubscriber.everything('sub_growth_bounced');
    expect((await postMonth()).list_cleaned).toBe(before + 1);
    const berlin = (await stack.ctx.counters.read(scopes.postMonth('berlin', month()))).counts;
    expect(berlin.list_cleaned).toBe(1);
    expect(berlin.list_unsubscribed).toBeUndefined();
  });
});
