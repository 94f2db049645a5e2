import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../functions/core/model';
import { createEdition, scheduleEdition, submitEdition } from '../../functions/editions/service';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { members } from '../helpers/people';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';

/**
 * 2,000 recipients; the worker "crashes" (throws, losing its invocation) at random
 * points: after claiming a recipient, after SES accepted the message, after marking
 * it. SQS-like redelivery brings every batch back. Everyone must get exactly one
 * message; nobody unsubscribed or suppressed during the send gets any.
 */
let stack: LocalStack;
let crashes = 0;
let random = 42;
const rand = () => {
  random = (random * 1103515245 + 12345) % 2147483648;
  return random / 2147483648;
};

const N = 2000;
const people = members(N, { post: 'casablanca', audience: 'economic', language: 'fr', prefix: 'reader' });

beforeAll(async () => {
  stack = await startLocalStack(
    stackOptions({
      seedsDir: await smallSeeds(5),
      sesRate: 400,
      workers: 4,
      visibilityTimeoutMs: 300,
      // A claim left by a crash is taken over after lease + margin (2 s).
      claimLeaseMs: 1000,
      schedulerMs: 200,
      // A crash between a send's record and its count leaves the counters short: the stall rule ends it.
      stallMs: 1500,
      workerFault: () => {
        if (rand() < 0.003) {
          crashes++;
          throw new Error('simulated worker crash');
        }
      },
    }),
  );
  await stack.ctx.repos.subscribers.importMany(people);
});
afterAll(async () => stack?.stop());

describe('send reliability', () => {
  it('delivers exactly one message to each of 2,000 recipients through worker crashes', async () => {
    const actor = { id: 'editor', roles: ['post-editor'] };
    const draft = await createEdition(stack.ctx.editions, actor, 'casablanca', {
      title: 'Reliability',
      sensitive: false,
      variants: [
        {
          audience: 'economic',
          language: 'fr',
          subject: 'Fiabilité',
          preheader: '',
          intro: 'Bonjour',
          blocks: [{ type: 'local', title: 'Test', text: 'Un message.' }],
        },
      ],
    });
    const approved = await submitEdition(stack.ctx.editions, actor, draft);
    await scheduleEdition(stack.ctx.editions, actor, approved);

    // Once dispatch has queued everyone: 30 of the last readers unsubscribe, 10 bounce.
    const deadline = Date.now() + 60_000;
    while ((await stack.ctx.sending.dispatch.progress.read(draft.id)).queued < N && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const late = people.slice(-40);
    for (const p of late.slice(0, 30)) {
      await stack.ctx.repos.subscribers.putSubscription({
        ...(p.subscriptions[0] as Subscription),
        status: 'unsubscribed',
      });
    }
    for (const p of late.slice(30)) {
      await stack.ctx.repos.suppressions.put({
        email: p.subscriber.email,
        reason: 'bounce',
        at: new Date().toISOString(),
      });
    }

    while (
      !((await stack.ctx.repos.editions.get(draft.id))?.status === 'sent' && stack.idle()) &&
      Date.now() < deadline + 60_000
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }

    const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    const received = new Map<string, number>();
    for (const e of store.emails)
      for (const to of e.destination.to) received.set(to, (received.get(to) ?? 0) + 1);
    const excluded = new Set(late.map((p) => p.subscriber.email));
    const expected = people.map((p) => p.subscriber.email).filter((e) => !excluded.has(e));

    expect(crashes).toBeGreaterThan(5);
    expect(stack.queues.send.deadLetters).toEqual([]);
    expect([...received.values()].filter((n) => n > 1)).toEqual([]); // nobody twice
    const missing = expected.filter((e) => received.get(e) !== 1);
    expect(missing).toEqual([]); // everyone once
    expect([...excluded].filter((e) => received.has(e))).toEqual([]); // none of the excluded
    expect(stack.queues.send.deadLetters).toEqual([]);
    const progress = await stack.ctx.sending.dispatch.progress.read(draft.id);
    expect(progress.queued).toBe(N);
    expect(progress.sent).toBeLessThanOrEqual(expected.length);
    expect((await stack.ctx.repos.editions.get(draft.id))?.status).toBe('sent');
  }, 180_000);
});
