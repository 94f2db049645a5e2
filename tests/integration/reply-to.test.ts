import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleEdition } from '../../functions/editions/service';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { testSend } from '../../functions/sending/test-send';
import { smallSeeds } from '../helpers/seeds';
import { bearer, stackOptions, tokenFor } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/** Replies reach the post: every kind of message carries the post's Reply-To (issue 21, item 6). */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(200), schedulerMs: 200 }));
});
afterAll(async () => stack?.stop());

interface Stored {
  readonly messageId: string;
  readonly subject: string;
  readonly replyTo: string[];
  readonly destination: { readonly to: string[] };
}
const stored = async (): Promise<Stored[]> =>
  ((await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: Stored[] }).emails;

const replyToOf = async (code: string) => (await stack.ctx.repos.posts.get(code))?.replyTo;

describe('Reply-To', () => {
  it('is seeded for every post, apart from its sending address', async () => {
    for (const post of await stack.ctx.repos.posts.list()) {
      expect(post.replyTo).toMatch(/@/);
      expect(post.replyTo).not.toBe(post.sender.address);
    }
  });

  it('is set on a test send, in the raw MIME SES is given', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const edition = await stack.ctx.repos.editions.get(seeded?.id ?? '');
    if (!edition) throw new Error('no seeded edition');
    const [sent] = await testSend(stack.ctx.editions, edition, 'economic', 'en', ['me@example.org']);
    const mail = await simpleParser((await stack.ctx.outbox?.get(sent?.messageId ?? '')) ?? Buffer.from(''));
    expect(mail.replyTo?.text).toBe('tokyo@diplomatie.example');
    const inStore = (await stored()).filter((m) => m.subject.startsWith('[TEST]'));
    expect(inStore.map((m) => m.replyTo)).toEqual([['tokyo@diplomatie.example']]);
  });

  it('is set on every message of an edition sent by the workers, and on a crisis alert', async () => {
    const seeded = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const edition = await stack.ctx.repos.editions.get(seeded?.id ?? '');
    if (!edition) throw new Error('no seeded edition');
    await scheduleEdition(stack.ctx.editions, { id: 'admin', roles: ['admin'] }, edition);
    await waitFor(async () => (await stack.ctx.repos.editions.get(edition.id))?.status === 'sent', 90_000);
    const subjects = new Set(edition.variants.map((v) => v.subject));
    const newsletter = (await stored()).filter((m) => subjects.has(m.subject));
    expect(newsletter.length).toBeGreaterThan(0);
    for (const m of newsletter) expect(m.replyTo).toEqual([await replyToOf('tokyo')]);

    const res = await fetch(`${stack.urls.api}/crisis`, {
      method: 'POST',
      headers: {
        ...bearer(await tokenFor(stack, [{ role: 'spokesperson' }])),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        posts: ['tokyo'],
        messages: {
          en: { subject: 'Alert: storm warning', text: 'Stay indoors.' },
          fr: { subject: 'Alerte : tempête', text: 'Restez à l’abri.' },
          nl: { subject: 'Alarm: storm', text: 'Blijf binnen.' },
        },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const { editions } = (await res.json()) as { editions: { id: string }[] };
    await waitFor(
      async () => (await stack.ctx.repos.editions.get(editions[0]?.id ?? ''))?.status === 'sent',
      90_000,
    );
    const alerts = (await stored()).filter((m) =>
      /^(Alert: storm|Alerte : tempête|Alarm: storm)/.test(m.subject),
    );
    expect(alerts.length).toBeGreaterThan(0);
    for (const m of alerts) expect(m.replyTo).toEqual(['tokyo@diplomatie.example']);
  }, 200_000);

  it('is set on the confirmation mail of a person added by staff', async () => {
    const res = await fetch(`${stack.urls.api}/posts/berlin/subscribers`, {
      method: 'POST',
      headers: {
        ...bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'berlin' }])),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ email: 'new.reader@example.org', audiences: ['cultural'], language: 'en' }),
    });
    expect(res.status).toBeLessThan(300);
    const confirmation = (await stored()).filter((m) => m.destination.to.includes('new.reader@example.org'));
    expect(confirmation.length).toBe(1);
    expect(confirmation[0]?.replyTo).toEqual(['berlin@diplomatie.example']);
  });
});
