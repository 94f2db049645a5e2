import { decodeHTML } from 'entities';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '../../functions/core/mail';
import { signLink } from '../../functions/core/signed-links';
import type { Edition } from '../../functions/editions/model';
import { createEdition } from '../../functions/editions/service';
import type { LocalStack } from '../../functions/local/stack';
import { dryRunSend } from '../../functions/sending/dry-run';
import { processBatch } from '../../functions/sending/worker';
import { startSeededStack } from '../helpers/stack';

/**
 * An HQ broadcast's links name post `hq`, where nobody is subscribed: unsubscribing
 * there must still mean something. One-click stops HQ's broadcasts (the next dispatch
 * and a send already in progress skip the person) and leaves their posts alone;
 * "everything" stops every post too.
 */
let stack: LocalStack;
let broadcast: Edition;
const keys = () => [...stack.ctx.settings.signingKeys];

/** Who a mailer was asked to mail. */
function capturing(): { mailer: Mailer; to: string[] } {
  const to: string[] = [];
  return {
    to,
    mailer: {
      prepare: async () => ({
        send: async (a) => {
          to.push(a.recipientId);
          return { messageId: `m-${to.length}` };
        },
      }),
    },
  };
}

/** Everyone the broadcast would reach now: the real dispatch and worker, nothing sent or stored. */
async function recipients(): Promise<string[]> {
  const c = capturing();
  await dryRunSend(stack.ctx.sending, broadcast, c.mailer);
  return c.to;
}

beforeAll(async () => {
  stack = await startSeededStack(80);
  broadcast = await createEdition(stack.ctx.editions, { id: 'spokes', roles: ['spokesperson'] }, 'hq', {
    title: 'Network news',
    sensitive: false,
    variants: ['en', 'fr', 'nl'].map((language) => ({
      audience: 'network',
      language: language as 'en',
      subject: 'Network',
      preheader: '',
      intro: 'Hello',
      blocks: [{ type: 'local' as const, title: 'News', text: 'For everyone.' }],
    })),
  });
}, 60_000);
afterAll(async () => stack?.stop());

const post = (token: string, query = '') =>
  fetch(`${stack.urls.api}/unsubscribe?token=${encodeURIComponent(token)}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });

describe('unsubscribing from an HQ broadcast', () => {
  it('one-click stops HQ broadcasts for the next dispatch, and keeps the person at their posts', async () => {
    const before = await recipients();
    const [who] = before;
    if (!who) throw new Error('the broadcast reaches nobody');
    const postsBefore = (await stack.ctx.repos.subscribers.subscriptionsOf(who)).filter(
      (s) => s.status === 'confirmed',
    );
    const token = signLink({ p: 'manage', s: who, o: 'hq', a: 'network', g: 'en' }, keys());
    const res = await post(token);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You will no longer receive the newsletters Headquarters sends');

    const after = await recipients();
    expect(after).not.toContain(who);
    expect(after.length).toBe(before.length - 1);
    const postsAfter = (await stack.ctx.repos.subscribers.subscriptionsOf(who)).filter(
      (s) => s.status === 'confirmed',
    );
    expect(postsAfter).toEqual(postsBefore);

    // The preferences page says so, and lists the posts the person still receives.
    const prefs = await (
      await fetch(`${stack.urls.api}/preferences?token=${encodeURIComponent(token)}`)
    ).text();
    expect(prefs).toContain('Newsletters from Headquarters to the whole network: stopped');
    expect(prefs).toContain(': confirmed');
  });

  it('is honoured by a send already in progress (the worker reads it before mailing)', async () => {
    const people = await recipients();
    const who = people[1] ?? '';
    const token = signLink({ p: 'manage', s: who, o: 'hq', a: 'network' }, keys());
    expect((await post(token)).status).toBe(200);
    // A batch dispatched before the click: the worker still finds out.
    const c = capturing();
    const outcome = await processBatch(
      { ...stack.ctx.sending.worker, mailer: c.mailer },
      { kind: 'send', editionId: broadcast.id, audience: 'network', language: 'en', subscriberIds: [who] },
    );
    expect(c.to).toEqual([]);
    expect(outcome.counts).toMatchObject({ skipped: 1, sent: 0 });
  });

  it('"everything" stops every post and HQ broadcasts', async () => {
    const people = await recipients();
    const who = people[2] ?? '';
    const token = signLink({ p: 'manage', s: who, o: 'hq', a: 'network' }, keys());
    const page = await (
      await fetch(`${stack.urls.api}/unsubscribe?token=${encodeURIComponent(token)}`)
    ).text();
    expect(decodeHTML(page)).toContain('scope=everything');
    expect((await post(token, '&scope=everything')).status).toBe(200);
    const mine = await stack.ctx.repos.subscribers.subscriptionsOf(who);
    expect(mine.filter((s) => s.status !== 'unsubscribed')).toEqual([]);
    expect(await recipients()).not.toContain(who);
  });
});
