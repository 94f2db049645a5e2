import type { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../functions/core/ports';
import {
  checkCertificateUrl,
  checkSubscribeUrl,
  SnsMessageRefused,
  type SnsVerifyDeps,
  verifySnsMessage,
} from '../../functions/engagement/sns-verify';
import {
  CERT_URL,
  complaintEvent,
  makeSigner,
  notification,
  signed,
  subscriptionConfirmation,
  TOPIC,
} from '../helpers/sns';

const inWindow = new Date('2026-11-26T10:00:00Z');
let key: string;
let cert: string;
let expired: { cert: string; privateKey: string };

beforeAll(async () => {
  ({ cert, privateKey: key } = await makeSigner({
    from: new Date('2026-01-01T00:00:00Z'),
    to: new Date('2036-01-01T00:00:00Z'),
  }));
  // Like the corpus's real AWS certificate: valid once, expired now.
  expired = await makeSigner({
    from: new Date('2021-09-07T00:00:00Z'),
    to: new Date('2022-08-17T23:59:59Z'),
  });
});

/** Deps with a fetcher that serves `pem` at any URL and records what it was asked for. */
function deps(over: Partial<SnsVerifyDeps> & { pem?: string } = {}) {
  const fetched: string[] = [];
  const d: SnsVerifyDeps = {
    topicArn: TOPIC,
    clock: { now: () => inWindow },
    certificates: new Map<string, Promise<X509Certificate>>(),
    fetch: async (url) => {
      fetched.push(url);
      return over.pem ?? cert;
    },
    ...over,
  };
  return { d, fetched };
}

const body = (m: object) => JSON.stringify(m);

async function refusal(d: SnsVerifyDeps, text: string): Promise<string> {
  const error = await verifySnsMessage(d, text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnsMessageRefused);
  expect((error as SnsMessageRefused).httpStatus).toBe(403);
  return (error as Error).message;
}

describe('SNS message verification', () => {
  it.each(['1', '2'] as const)(
    'accepts a Notification and a SubscriptionConfirmation signed v%s',
    async (v) => {
      const { d, fetched } = deps();
      const n = signed(key, notification(complaintEvent('a@example.org')), v);
      expect((await verifySnsMessage(d, body(n))).Message).toBe(n.Message);
      const c = signed(key, subscriptionConfirmation(), v);
      expect((await verifySnsMessage(d, body(c))).Type).toBe('SubscriptionConfirmation');
      // Fetched once from the URL the message names, then cached.
      expect(fetched).toEqual([CERT_URL]);
    },
  );

  it('accepts a Notification without Subject (left out of the string to sign)', async () => {
    const { Subject: _, ...withoutSubject } = notification({ eventType: 'Send' });
    const { d } = deps();
    await expect(verifySnsMessage(d, body(signed(key, withoutSubject, '2')))).resolves.toBeTruthy();
  });

  it('refuses a tampered message, a signature of another version, and a signature by another key', async () => {
    const { d } = deps();
    const n = signed(key, notification(complaintEvent('a@example.org')));
    expect(
      await refusal(d, body({ ...n, Message: n.Message?.replace('a@example.org', 'b@example.org') })),
    ).toMatch(/signature does not verify/);
    expect(await refusal(d, body({ ...n, Subject: 'other' }))).toMatch(/signature/);
    expect(await refusal(d, body({ ...n, SignatureVersion: '2' }))).toMatch(/signature/);
    expect(await refusal(d, body({ ...n, SignatureVersion: '3' }))).toMatch(/SignatureVersion/);
    expect(await refusal(d, body({ ...n, Signature: 'not base64!' }))).toMatch(/signature/);
    const forged = signed(expired.privateKey, notification(complaintEvent('a@example.org')));
    expect(await refusal(d, body(forged))).toMatch(/signature does not verify/);
    const c = signed(key, subscriptionConfirmation());
    expect(await refusal(d, body({ ...c, Token: 'other' }))).toMatch(/signature/);
  });

  it('refuses a message of another topic before fetching anything', async () => {
    const { d, fetched } = deps();
    const other = signed(key, notification({ eventType: 'Send' }, { TopicArn: `${TOPIC}-other` }));
    expect(await refusal(d, body(other))).toMatch(/expected topic/);
    const { d: unset } = deps({ topicArn: undefined });
    expect(await refusal(unset, body(signed(key, notification({ eventType: 'Send' }))))).toMatch(
      /not configured/,
    );
    expect(fetched).toEqual([]);
  });

  it.each([
    'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem',
    'https://sns.evil.com/SimpleNotificationService-0123456789abcdef.pem',
    'https://sns.eu-west-1.amazonaws.com.evil.com/SimpleNotificationService-0123456789abcdef.pem',
    'https://evil.com/sns.eu-west-1.amazonaws.com/x.pem',
    'https://sns.eu-west-1.amazonaws.com@evil.com/x.pem',
    'https://evil.com@sns.eu-west-1.amazonaws.com/x.pem',
    'https://user:pw@sns.eu-west-1.amazonaws.com/x.pem',
    'https://evil.com\\@sns.eu-west-1.amazonaws.com/x.pem',
    'https://sns.eu-west-1.amazonaws.com%2F@evil.com/x.pem',
    'https://sns.eu-west-1.amazonaws.com:8443/x.pem',
    'https://sns.eu-west-1.amazonaws.com:443/x.pem',
    'https://sns.eu-west-1.amazonaws.com./x.pem',
    'https://sns.eu-west-1.amazonaws.com/x.pem?u=https://evil.com/y.pem',
    'https://sns.eu-west-1.amazonaws.com/x.pem#frag',
    'https://sns.eu-west-1.amazonaws.com/dir/../x.pem',
    'https://sns.eu-west-1.amazonaws.com/%2e%2e/x.pem',
    'https://sns.eu-west-1.amazonaws.com/x.txt',
    'https://s3.eu-west-1.amazonaws.com/x.pem',
    'https://sns.amazonaws.com/x.pem',
    '//sns.eu-west-1.amazonaws.com/x.pem',
    'file:///etc/ssl/x.pem',
  ])('refuses the certificate URL %s without fetching it', async (url) => {
    const { d, fetched } = deps();
    expect(checkCertificateUrl(url)).toBeUndefined();
    expect(
      await refusal(
        d,
        body(signed(key, notification({ eventType: 'Send' }), '1')).replace(
          JSON.stringify(CERT_URL),
          JSON.stringify(url),
        ),
      ),
    ).toMatch(/SigningCertURL/);
    expect(fetched).toEqual([]);
  });

  it('accepts the certificate hosts SNS uses, China included', () => {
    expect(checkCertificateUrl(CERT_URL)).toBe(CERT_URL);
    const cn = 'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem';
    expect(checkCertificateUrl(cn)).toBe(cn);
  });

  it('refuses an expired certificate with the real clock and accepts it with an injected one', async () => {
    const n = body(signed(expired.privateKey, notification({ eventType: 'Send' })));
    const { d: real } = deps({ pem: expired.cert, clock: systemClock });
    expect(await refusal(real, n)).toMatch(/not valid at this time/);
    const { d: then } = deps({ pem: expired.cert, clock: { now: () => new Date('2022-04-01T00:00:00Z') } });
    await expect(verifySnsMessage(then, n)).resolves.toBeTruthy();
    const { d: before } = deps({ pem: expired.cert, clock: { now: () => new Date('2021-09-06T00:00:00Z') } });
    expect(await refusal(before, n)).toMatch(/not valid at this time/);
  });

  it('refuses what is not an SNS message, and does not keep a certificate that failed to load', async () => {
    const { d } = deps();
    expect(await refusal(d, 'not json')).toMatch(/not JSON/);
    expect(await refusal(d, '[]')).toMatch(/not an SNS message/);
    expect(await refusal(d, body({ Type: 'Hello' }))).toMatch(/not an SNS message/);
    const n = signed(key, notification({ eventType: 'Send' }));
    expect(await refusal(d, body({ ...n, MessageId: 7 }))).toMatch(/without MessageId/);
    let calls = 0;
    const flaky = deps({
      fetch: async () => {
        calls++;
        if (calls === 1) throw new Error('network down');
        return cert;
      },
    }).d;
    expect(await refusal(flaky, body(n))).toMatch(/could not be fetched/);
    await expect(verifySnsMessage(flaky, body(n))).resolves.toBeTruthy();
    const garbage = deps({ pem: 'not a certificate' }).d;
    expect(await refusal(garbage, body(n))).toMatch(/could not be fetched or read/);
  });

  it('accepts a SubscribeURL only as SNS confirming the expected topic', () => {
    const good = subscriptionConfirmation().SubscribeURL ?? '';
    expect(checkSubscribeUrl(good, TOPIC)).toBe(good);
    for (const bad of [
      good.replace('https://', 'http://'),
      good.replace('sns.eu-west-1.amazonaws.com', 'sns.eu-west-1.amazonaws.com.evil.com'),
      good.replace('sns.eu-west-1.amazonaws.com', 'evil.com@sns.eu-west-1.amazonaws.com'),
      good.replace('sns.eu-west-1.amazonaws.com', 'sns.eu-west-1.amazonaws.com:8443'),
      good.replace('ConfirmSubscription', 'Unsubscribe'),
      good.replace(TOPIC, `${TOPIC}-other`),
      good.replace('/?', '/evil?'),
    ]) {
      expect(checkSubscribeUrl(bad, TOPIC), bad).toBeUndefined();
    }
  });
});
