import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleEdition } from '../../functions/core/edition-service';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from '../helpers/seeds';
import { bearer, stackOptions, tokenFor } from '../helpers/stack';

let stack: LocalStack;

beforeAll(async () => {
  // A slow account (15 messages/s): the newsletter below takes many seconds to send.
  stack = await startLocalStack(
    stackOptions({ seedsDir: await smallSeeds(600), sesRate: 15, workers: 2, schedulerMs: 200 }),
  );
});
afterAll(async () => stack?.stop());

const status = async (id: string) => (await stack.ctx.repos.editions.get(id))?.status;

describe('crisis alert', () => {
  it('goes ahead of a newsletter already sending and reaches the consular audiences', async () => {
    const tokyo = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const edition = await stack.ctx.repos.editions.get(tokyo?.id ?? '');
    if (!edition) throw new Error('no seeded edition');
    await scheduleEdition(stack.ctx.editions, { id: 'admin', roles: ['admin'] }, edition);
    const deadline = Date.now() + 20_000;
    while ((await status(edition.id)) !== 'sending' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    while ((await stack.ctx.sending.dispatch.progress.read(edition.id)).sent < 10)
      await new Promise((r) => setTimeout(r, 50));

    const started = Date.now();
    const res = await fetch(`${stack.urls.api}/crisis`, {
      method: 'POST',
      headers: {
        ...bearer(await tokenFor(stack, [{ role: 'spokesperson' }])),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        posts: ['washington', 'sao-paulo'],
        messages: {
          en: {
            subject: 'Alert: hurricane warning',
            text: 'Stay indoors. Follow the instructions of the local authorities.',
          },
          fr: {
            subject: 'Alerte : ouragan',
            text: 'Restez à l’abri. Suivez les consignes des autorités locales.',
          },
        },
      }),
    });
    expect(res.status).toBe(202);
    const { editions } = (await res.json()) as { editions: { id: string; post: string; status: string }[] };
    expect(editions.map((e) => e.post)).toEqual(['washington', 'sao-paulo']);

    for (const e of editions) {
      while ((await status(e.id)) !== 'sent' && Date.now() - started < 60_000)
        await new Promise((r) => setTimeout(r, 50));
      expect(await status(e.id)).toBe('sent');
    }
    const crisisDone = Date.now() - started;
    // The newsletter queued before is still going: the alert did not wait behind it.
    expect(await status(edition.id)).toBe('sending');
    const crisisSent = (
      await Promise.all(editions.map((e) => stack.ctx.sending.dispatch.progress.read(e.id)))
    ).reduce((n, p) => n + p.sent, 0);
    expect(crisisSent).toBeGreaterThan(5);
    expect(crisisDone).toBeLessThan(crisisSent * 1000); // ~15/s, not behind hundreds of queued newsletters

    const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
      emails: { subject: string }[];
    };
    expect(store.emails.filter((m) => m.subject.startsWith('Alert: hurricane')).length).toBeGreaterThan(0);
  }, 120_000);

  it('refuses an alert to a post without a consular audience, sending nothing', async () => {
    const res = await fetch(`${stack.urls.api}/crisis`, {
      method: 'POST',
      headers: { ...bearer(await tokenFor(stack, [{ role: 'admin' }])), 'content-type': 'application/json' },
      body: JSON.stringify({ posts: ['kinshasa', 'geneva'], messages: { fr: { subject: 'x', text: 'y' } } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'posts: geneva has no consular audience',
    );
  });
});
