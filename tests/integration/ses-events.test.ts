import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber, Subscription } from '../../functions/core/model';
import { createEdition, scheduleEdition, submitEdition } from '../../functions/editions/service';
import { makeSesEventsHandler } from '../../functions/handlers/ses-events';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/**
 * SES events take the path they take on AWS: the local gate publishes SES's event JSON
 * for what it accepts (the mailbox simulator's outcomes included) into the same domain
 * function the Lambda calls. A send to bounce@simulator.amazonses.com ends suppressed.
 */
let stack: LocalStack;
const at = '2026-01-01T00:00:00Z';
const person = (local: string): { subscriber: Subscriber; subscriptions: Subscription[] } => ({
  subscriber: {
    id: `sub_sim_${local}`,
    email: `${local}@simulator.amazonses.com`,
    name: '',
    language: 'fr',
    consent: { at, source: 'test' },
    createdAt: at,
  },
  subscriptions: [
    {
      subscriberId: `sub_sim_${local}`,
      post: 'casablanca',
      audience: 'economic',
      language: 'fr',
      status: 'confirmed',
      updatedAt: at,
    },
  ],
});
const people = ['success', 'ooto', 'bounce', 'complaint', 'suppressionlist', 'delay'].map(person);

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(0), schedulerMs: 100 }));
  await stack.ctx.repos.subscribers.importMany(people);
});
afterAll(async () => stack?.stop());

describe('SES events through the app', () => {
  it('suppresses the simulator bounce, complaint and suppression-list addresses after a real send', async () => {
    const actor = { id: 'editor', roles: ['post-editor'] };
    const draft = await createEdition(stack.ctx.editions, actor, 'casablanca', {
      title: 'Simulator',
      sensitive: false,
      variants: [
        {
          audience: 'economic',
          language: 'fr',
          subject: 'Simulateur',
          preheader: '',
          intro: 'Bonjour',
          blocks: [{ type: 'local', title: 'Test', text: 'Un message.' }],
        },
      ],
    });
    const approved = await submitEdition(stack.ctx.editions, actor, draft);
    await scheduleEdition(stack.ctx.editions, { id: 'approver', roles: ['post-approver'] }, approved);
    await waitFor(async () => (await stack.ctx.repos.editions.get(draft.id))?.status === 'sent');
    await stack.ses.settled();

    const emails = people.map((p) => p.subscriber.email);
    const suppressed = await stack.ctx.repos.suppressions.suppressedAmong(emails);
    expect([...suppressed].sort()).toEqual([
      'bounce@simulator.amazonses.com',
      'complaint@simulator.amazonses.com',
      'suppressionlist@simulator.amazonses.com',
    ]);
    expect((await stack.ctx.repos.suppressions.get('bounce@simulator.amazonses.com'))?.reason).toBe('bounce');
    expect((await stack.ctx.repos.suppressions.get('complaint@simulator.amazonses.com'))?.detail).toBe(
      'abuse',
    );
    // Every accepted message is in the ledger, from its Send event (tags edition and recipient).
    for (const p of people) {
      const record = (await stack.ctx.sending.worker.records.get(draft.id, [p.subscriber.id])).get(
        p.subscriber.id,
      );
      expect(await stack.ctx.sending.worker.ledger.accepted(draft.id, p.subscriber.id)).toBe(
        record?.messageId,
      );
    }
  }, 90_000);

  it('runs the same use case from the engagement queue (the Lambda handler), raw or in an SNS envelope, counting what it cannot read', async () => {
    const bounce = {
      eventType: 'Bounce',
      mail: { messageId: 'm-1', destination: ['gone@example.org'], tags: {} },
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'NoEmail',
        bouncedRecipients: [{ emailAddress: 'gone@example.org' }],
      },
    };
    const complaint = {
      notificationType: 'Complaint',
      mail: { messageId: 'm-2', timestamp: '2026-01-02T00:00:00Z', destination: ['angry@example.org'] },
      complaint: {
        complainedRecipients: [{ emailAddress: 'angry@example.org' }],
        complaintFeedbackType: 'abuse',
      },
    };
    const event = {
      Records: [
        { messageId: '1', body: JSON.stringify(bounce) },
        {
          messageId: '2',
          body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify(complaint) }),
        },
        { messageId: '3', body: 'not json' },
        // SQS delivers the bounce again: recorded once.
        { messageId: '4', body: JSON.stringify(bounce) },
      ],
    } as unknown as SQSEvent;
    const counts = await makeSesEventsHandler(stack.ctx)(event);
    expect(counts).toEqual({ accepted: 0, recorded: 2, duplicates: 1, suppressed: 2, ignored: 1 });
    expect((await stack.ctx.repos.suppressions.get('angry@example.org'))?.reason).toBe('complaint');
    expect((await stack.ctx.repos.suppressions.get('gone@example.org'))?.detail).toBe('NoEmail');
  });
});

describe('a stack stopped between keeping a message and recording its Send event', () => {
  it('records it at the next start, before any worker runs, so nobody is mailed twice', async () => {
    const { mkdtemp, mkdir, writeFile, readdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'missive-pending-'));
    await mkdir(join(dataDir, 'outbox'), { recursive: true });
    const raw = [
      'From: Embassy <tokyo@example.org>',
      'To: reader@example.org',
      'Subject: News',
      'X-Missive-Edition: ed_pending',
      'X-Missive-Recipient: sub_pending',
      '',
      'Hello',
    ].join('\r\n');
    await writeFile(join(dataDir, 'outbox', 'msg-kept-1.eml.pending'), raw);
    const restarted = await startLocalStack(stackOptions({ memory: false, dataDir }));
    try {
      expect(await restarted.ctx.sending.worker.ledger.accepted('ed_pending', 'sub_pending')).toBe(
        'msg-kept-1',
      );
      expect(await readdir(join(dataDir, 'outbox'))).toEqual(['msg-kept-1.eml']);
    } finally {
      await restarted.stop();
    }
  }, 60_000);
});
