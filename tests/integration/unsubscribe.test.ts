import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '../../functions/core/signed-links';
import type { LocalStack } from '../../functions/local/stack';
import { startSeededStack } from '../helpers/stack';

let stack: LocalStack;
let member: { subscriberId: string; audience: string; language: 'fr' | 'nl' | 'en' | 'de' };

beforeAll(async () => {
  stack = await startSeededStack();
  const page = await stack.ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'confirmed', { limit: 1 });
  const first = page.items[0];
  if (!first) throw new Error('no confirmed Tokyo subscriber in the seeds');
  member = first;
});
afterAll(async () => stack?.stop());

const link = (token: string) => `${stack.urls.api}/unsubscribe?token=${encodeURIComponent(token)}`;
const isMember = async () => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await stack.ctx.repos.subscribers.confirmedMembers(
      'tokyo',
      member.audience,
      member.language,
      {
        cursor,
      },
    );
    ids.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return ids.includes(member.subscriberId);
};

describe('unsubscribe by signed link', () => {
  it('GET only asks to confirm (a mail scanner following the link unsubscribes nobody)', async () => {
    const token = signLink({ p: 'manage', s: member.subscriberId, o: 'tokyo', a: member.audience }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    const page = await fetch(link(token));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<form method="post"/);
    expect(html).toContain('Embassy of Belgium in Japan');
    expect(await isMember()).toBe(true);
  });

  it('POST one-click unsubscribes that audience, and again is harmless', async () => {
    const token = signLink({ p: 'manage', s: member.subscriberId, o: 'tokyo', a: member.audience }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    const post = () =>
      fetch(link(token), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    expect((await post()).status).toBe(200);
    expect(await isMember()).toBe(false);
    const again = await post();
    expect(again.status).toBe(200);
    expect(await again.text()).toMatch(/You are unsubscribed/);
  });

  it('one-click from one audience stops the whole post newsletter it says it stops', async () => {
    // Someone in two audiences of one post gets one message a month; "stop" must mean both.
    const all = await stack.ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'confirmed', { limit: 1000 });
    const count = new Map<string, number>();
    for (const s of all.items) count.set(s.subscriberId, (count.get(s.subscriberId) ?? 0) + 1);
    const twice = all.items.find(
      (s) => (count.get(s.subscriberId) ?? 0) > 1 && s.subscriberId !== member.subscriberId,
    );
    if (!twice) throw new Error('no Tokyo subscriber in two audiences in the seeds');
    const token = signLink({ p: 'manage', s: twice.subscriberId, o: 'tokyo', a: twice.audience }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    const res = await fetch(link(token), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(await res.text()).toMatch(
      /You will no longer receive the newsletter of Embassy of Belgium in Japan/,
    );
    const left = (await stack.ctx.repos.subscribers.subscriptionsOf(twice.subscriberId)).filter(
      (s) => s.post === 'tokyo' && s.status === 'confirmed',
    );
    expect(left).toEqual([]);
  });

  it('answers a forged or truncated link with one message that reveals nothing', async () => {
    const forged = signLink({ p: 'manage', s: member.subscriberId, o: 'tokyo' }, [
      { id: 'local', secret: 'guessed-secret-guessed-secret-guessed' },
    ]);
    const good = signLink({ p: 'manage', s: member.subscriberId, o: 'tokyo' }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    const bodies = await Promise.all(
      [forged, good.slice(0, -5), 'garbage'].map(async (t) => {
        const res = await fetch(link(t), { method: 'POST' });
        expect(res.status).toBe(400);
        return res.text();
      }),
    );
    expect(new Set(bodies).size).toBe(1);
  });

  it('answers a valid link for nobody exactly like one for somebody', async () => {
    const token = signLink({ p: 'manage', s: 'sub_nobody', o: 'tokyo', a: 'economic' }, [
      ...stack.ctx.settings.signingKeys,
    ]);
    const res = await fetch(link(token), { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/You are unsubscribed/);
  });

  it('escapes what staff typed (the post name) in the page', async () => {
    const tokyo = await stack.ctx.repos.posts.get('tokyo');
    if (!tokyo) throw new Error('no tokyo');
    await stack.ctx.repos.posts.put({
      ...tokyo,
      code: 'evil-post',
      name: '<script>alert(1)</script> Embassy',
      names: { en: '<script>alert(1)</script> Embassy' },
    });
    const token = signLink({ p: 'manage', s: 'sub_x', o: 'evil-post' }, [...stack.ctx.settings.signingKeys]);
    const html = await (await fetch(link(token))).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Embassy');
  });
});

describe('subscriber pages speak the language of the email', () => {
  it('shows the unsubscribe and preferences pages in the link language', async () => {
    const keys = [...stack.ctx.settings.signingKeys];
    const de = signLink(
      { p: 'manage', s: member.subscriberId, o: 'tokyo', a: member.audience, g: 'de' },
      keys,
    );
    const page = await (await fetch(link(de))).text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('Möchten Sie den Newsletter von Embassy of Belgium in Japan nicht mehr erhalten?');
    const fr = signLink(
      { p: 'manage', s: member.subscriberId, o: 'tokyo', a: member.audience, g: 'fr' },
      keys,
    );
    const prefs = await (await fetch(`${stack.urls.api}/preferences?token=${encodeURIComponent(fr)}`)).text();
    expect(prefs).toContain('Vos abonnements : Ambassade de Belgique au Japon');
  });
});
