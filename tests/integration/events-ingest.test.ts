import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { complaintEvent, notification, TOPIC } from '../helpers/sns';
import { stackOptions } from '../helpers/stack';

/**
 * `missive events ingest --file F`: SES events replayed from a file in each shape
 * it takes, through the same recording as SES's own; a bad line records nothing.
 */
let stack: LocalStack;
let dir: string;

const bounce = (email: string, shape: 'eventType' | 'notificationType') => ({
  [shape]: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: email, action: 'failed', status: '5.1.1' }],
    timestamp: '2026-11-26T09:59:59.000Z',
    feedbackId: `feedback-${email}`,
  },
  mail: {
    timestamp: '2026-11-26T09:59:00.000Z',
    source: 'newsletter@missive.example.org',
    messageId: `msg-${email}`,
    destination: [email],
  },
});

/** An SNS envelope as the topic delivers it; its signature is not checked by a replay. */
const envelope = (event: object) => ({
  ...notification(event),
  MessageId: 'replayed-1',
  TopicArn: TOPIC,
  Timestamp: '2026-11-26T10:00:00.000Z',
  SignatureVersion: '1',
  Signature: 'bm90IGNoZWNrZWQ=',
  SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem',
});

beforeAll(async () => {
  stack = await startLocalStack(stackOptions());
  dir = await mkdtemp(join(tmpdir(), 'missive-events-'));
});
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const suppressed = async (email: string) => (await stack.ctx.repos.suppressions.get(email))?.reason;

async function ingest(name: string, content: string) {
  const file = join(dir, name);
  await writeFile(file, content);
  return { file, run: await missive(['events', 'ingest', '--file', file, '--json'], stackEnv(stack)) };
}

describe('missive events ingest', SPAWNING, () => {
  it('records one object, an array, JSON lines and SNS envelopes', async () => {
    const shapes = await Promise.all([
      ingest('one.json', JSON.stringify(complaintEvent('one@example.org'), null, 2)),
      ingest(
        'array.json',
        JSON.stringify([bounce('array-1@example.org', 'eventType'), complaintEvent('array-2@example.org')]),
      ),
      ingest(
        'lines.jsonl',
        `${JSON.stringify(complaintEvent('line-1@example.org'))}\n\n${JSON.stringify(bounce('line-2@example.org', 'notificationType'))}\n`,
      ),
      ingest(
        'envelopes.jsonl',
        [
          envelope(complaintEvent('sns-1@example.org')),
          envelope(bounce('sns-2@example.org', 'notificationType')),
        ]
          .map((e) => JSON.stringify(e))
          .join('\n'),
      ),
    ]);
    for (const { file, run } of shapes) expect(run.code, `${file}: ${run.stderr}`).toBe(0);
    const counts = shapes.map(({ run }) => JSON.parse(run.stdout) as { events: number; suppressed: number });
    expect(counts.map((c) => c.events)).toEqual([1, 2, 2, 2]);
    expect(counts.map((c) => c.suppressed)).toEqual([1, 2, 2, 2]);
    expect(await suppressed('one@example.org')).toBe('complaint');
    expect(await suppressed('array-1@example.org')).toBe('bounce');
    expect(await suppressed('array-2@example.org')).toBe('complaint');
    expect(await suppressed('line-1@example.org')).toBe('complaint');
    expect(await suppressed('line-2@example.org')).toBe('bounce');
    expect(await suppressed('sns-1@example.org')).toBe('complaint');
    expect(await suppressed('sns-2@example.org')).toBe('bounce');
  });

  it('refuses a bad line in one line naming the file and line, exit 2, and records nothing', async () => {
    const [badLine, badEnvelope, missing] = await Promise.all([
      ingest(
        'bad.jsonl',
        `${JSON.stringify(complaintEvent('before-bad@example.org'))}\n{"eventType": "Bounce",\n`,
      ),
      ingest(
        'bad-envelope.jsonl',
        `${JSON.stringify(complaintEvent('before-envelope@example.org'))}\n${JSON.stringify({ ...envelope({}), Message: 'not json' })}\n`,
      ),
      missive(['events', 'ingest', '--file', join(dir, 'nope.json')], stackEnv(stack)).then((run) => ({
        file: join(dir, 'nope.json'),
        run,
      })),
    ]);
    expect(badLine.run.code).toBe(2);
    expect(badLine.run.stderr.trim().split('\n')).toHaveLength(1);
    expect(badLine.run.stderr).toContain(`${badLine.file}:2: not valid JSON`);
    expect(badEnvelope.run.code).toBe(2);
    expect(badEnvelope.run.stderr).toContain(`${badEnvelope.file}:2: the SNS envelope's Message is not JSON`);
    expect(missing.run.code).toBe(2);
    expect(missing.run.stderr).toContain(`cannot read ${missing.file}: no such file`);
    expect(await suppressed('before-bad@example.org')).toBeUndefined();
    expect(await suppressed('before-envelope@example.org')).toBeUndefined();
  });

  it('says in its help that envelopes are not signature-checked', async () => {
    const help = await missive(['events', 'ingest', '--help']);
    expect(help.stdout).toMatch(/NOT\s+signature-checked/);
  });
});
