import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableId } from '../../functions/config/table-names';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import {
  CERT_URL,
  complaintEvent,
  makeSigner,
  notification,
  signed,
  subscriptionConfirmation,
  TOPIC,
} from '../helpers/sns';
import { stackOptions } from '../helpers/stack';

/**
 * POST /ses/events through the local stack's HTTP server and the real handler:
 * SNS's certificate and SubscribeURL come through the injected HTTPS port (a test
 * certificate at SNS's URL), everything else is the stack's own (dynalite).
 */
let stack: LocalStack;
let key: string;
const fetched: string[] = [];
const WATCHED: TableId[] = ['events', 'stats', 'suppressions', 'subscribers'];

beforeAll(async () => {
  const signer = await makeSigner({
    from: new Date('2020-01-01T00:00:00Z'),
    to: new Date('2100-01-01T00:00:00Z'),
  });
  key = signer.privateKey;
  stack = await startLocalStack(
    stackOptions({
      env: { MISSIVE_SES_EVENTS_TOPIC_ARN: TOPIC },
      httpsGet: async (url) => {
        fetched.push(url);
        if (url === CERT_URL) return signer.cert;
        if (url.endsWith('&Token=gone')) throw new Error('HTTP 404');
        if (url.startsWith('https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription')) return '<ok/>';
        throw new Error(`HTTP 404 for ${url}`);
      },
    }),
  );
});
afterAll(async () => stack?.stop());

/** SNS posts its JSON as text/plain. */
const post = (body: string) =>
  fetch(`${stack.urls.api}/ses/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
    body,
  });

/** Item counts of the tables recording could touch. */
async function itemCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of WATCHED) {
    const out = await stack.ctx.dynamo.raw.send(
      new ScanCommand({ TableName: stack.ctx.settings.tables[id], Select: 'COUNT' }),
    );
    counts[id] = out.Count ?? 0;
  }
  return counts;
}

describe('POST /ses/events (SNS over HTTPS)', () => {
  it('records a verified Notification: the complained address is suppressed', async () => {
    const res = await post(
      JSON.stringify(signed(key, notification(complaintEvent('reader-1@example.org')), '2')),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe('Notification');
    expect((await stack.ctx.repos.suppressions.get('reader-1@example.org'))?.reason).toBe('complaint');
  });

  it('records a message posted again (a retry, a replay) only once', async () => {
    const body = JSON.stringify(signed(key, notification(complaintEvent('reader-9@example.org'))));
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { recorded: { recorded: number } }).recorded.recorded).toBe(1);
    const before = await itemCounts();
    const again = await post(body);
    expect(again.status).toBe(200);
    const answer = (await again.json()) as { recorded: { recorded: number; duplicates: number } };
    expect(answer.recorded).toMatchObject({ recorded: 0, duplicates: 1 });
    expect(await itemCounts()).toEqual(before);
  });

  it('answers 403 with a JSON error and records nothing for anything not verified', async () => {
    const email = 'reader-2@example.org';
    const good = signed(key, notification(complaintEvent(email)));
    const bad: Record<string, string> = {
      tampered: JSON.stringify({ ...good, Message: good.Message?.replace(email, 'reader-3@example.org') }),
      'wrong topic': JSON.stringify(
        signed(key, notification(complaintEvent(email), { TopicArn: `${TOPIC}-other` })),
      ),
      'cert on another host': JSON.stringify(
        signed(key, notification(complaintEvent(email), { SigningCertURL: 'https://sns.evil.com/cert.pem' })),
      ),
      'cert host suffix trick': JSON.stringify(
        signed(
          key,
          notification(complaintEvent(email), {
            SigningCertURL: 'https://sns.eu-west-1.amazonaws.com.evil.com/cert.pem',
          }),
        ),
      ),
      'Message not JSON': JSON.stringify(signed(key, notification({}, { Message: 'hello' }))),
      'not JSON': 'Type=Notification',
      'not SNS': JSON.stringify(complaintEvent(email)),
      empty: '',
    };
    const before = await itemCounts();
    fetched.length = 0;
    for (const [name, body] of Object.entries(bad)) {
      const res = await post(body);
      expect(res.status, name).toBe(403);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect(answer.error.code, name).toBe('sns_refused');
      expect(answer.error.message, name).not.toContain(email);
    }
    expect(await stack.ctx.repos.suppressions.get(email)).toBeUndefined();
    expect(await itemCounts()).toEqual(before);
    // Only SNS's own certificate URL was ever fetched.
    expect(fetched.every((u) => u === CERT_URL)).toBe(true);
  });

  it('confirms a SubscriptionConfirmation for the expected topic only, at SNS', async () => {
    fetched.length = 0;
    const confirmation = signed(key, subscriptionConfirmation());
    const res = await post(JSON.stringify(confirmation));
    expect(res.status).toBe(200);
    expect(fetched).toContain(confirmation.SubscribeURL);

    fetched.length = 0;
    const otherTopic = signed(
      key,
      subscriptionConfirmation({
        TopicArn: `${TOPIC}-other`,
        SubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}-other&Token=t`,
      }),
    );
    expect((await post(JSON.stringify(otherTopic))).status).toBe(403);
    const elsewhere = signed(
      key,
      subscriptionConfirmation({
        SubscribeURL: `https://evil.example.org/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=t`,
      }),
    );
    expect((await post(JSON.stringify(elsewhere))).status).toBe(403);
    expect(fetched.filter((u) => u !== CERT_URL)).toEqual([]);
  });

  it('answers 403 when SNS does not take the confirmation, and changes nothing on an UnsubscribeConfirmation', async () => {
    const failing = signed(
      key,
      subscriptionConfirmation({
        SubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=gone`,
      }),
    );
    // The stub answers this URL with a 404 (an expired token at SNS).
    const before = await itemCounts();
    const refused = await fetch(`${stack.urls.api}/ses/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: JSON.stringify(failing),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /could not be confirmed/,
    );
    const unsubscribed = signed(key, subscriptionConfirmation({ Type: 'UnsubscribeConfirmation' }), '2');
    const res = await post(JSON.stringify(unsubscribed));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 'UnsubscribeConfirmation', ignored: true });
    expect(await itemCounts()).toEqual(before);
  });
});
