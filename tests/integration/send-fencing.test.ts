import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdition, scheduleEdition, submitEdition } from '../../functions/editions/service';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { members } from '../helpers/people';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/**
 * A slow attempt is not a dead one. The first attempt at a batch is held right before
 * its SES call (on purpose, not by load) until another delivery of the batch has taken
 * its claim over and sent; let go, past its lease, it must not send a second message.
 */
let stack: LocalStack;
let release: () => void = () => {};
const held = new Promise<void>((r) => {
  release = r;
});
let calls = 0;
const reader = members(1, { post: 'casablanca', audience: 'economic', language: 'fr', prefix: 'slow' });

beforeAll(async () => {
  stack = await startLocalStack(
    stackOptions({
      seedsDir: await smallSeeds(0),
      workers: 2,
      visibilityTimeoutMs: 400,
      claimLeaseMs: 600,
      schedulerMs: 100,
      beforeSend: async () => {
        calls++;
        if (calls === 1) await held; // the first attempt: slowed until told
      },
    }),
  );
  await stack.ctx.repos.subscribers.importMany(reader);
});
afterAll(async () => {
  release();
  await stack?.stop();
});

const received = async () => {
  const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
    emails: { destination: { to: string[] } }[];
  };
  return store.emails.filter((e) => e.destination.to.includes('slow0@example.org')).length;
};

describe('claim leases', () => {
  it('never lets a slowed attempt send after its claim was taken over', async () => {
    const actor = { id: 'editor', roles: ['post-editor'] };
    const draft = await createEdition(stack.ctx.editions, actor, 'casablanca', {
      title: 'Slow',
      sensitive: false,
      variants: [
        {
          audience: 'economic',
          language: 'fr',
          subject: 'Lent',
          preheader: '',
          intro: 'Bonjour',
          blocks: [{ type: 'local', title: 'Test', text: 'Un message.' }],
        },
      ],
    });
    const approved = await submitEdition(stack.ctx.editions, actor, draft);
    await scheduleEdition(stack.ctx.editions, { id: 'approver', roles: ['post-approver'] }, approved);

    // A redelivery takes the claim over once it is older than lease + margin, and sends.
    await waitFor(async () => (await received()) === 1);
    expect(calls).toBeGreaterThanOrEqual(2);
    // Now the first attempt wakes up, long past its lease.
    release();
    await waitFor(async () => (await stack.ctx.repos.editions.get(draft.id))?.status === 'sent');
    await waitFor(async () => stack.idle());
    expect(await received()).toBe(1);
    const record = (await stack.ctx.sending.worker.records.get(draft.id, ['sub_slow000000'])).get(
      'sub_slow000000',
    );
    expect(record?.status).toBe('sent');
  }, 120_000);
});
