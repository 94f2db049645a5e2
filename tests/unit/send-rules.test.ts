import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sesMailer } from '../../functions/adapters/ses/mailer';
import { broadcastLanguage } from '../../functions/sending/dispatch';
import {
  backoffMs,
  isDailyQuotaExceeded,
  isRejected,
  isThrottling,
  RateGovernor,
} from '../../functions/sending/rate';

describe('HQ broadcast language rule', () => {
  const hq = ['fr', 'nl', 'en'] as const;
  it('takes the preferred language when the edition has it', () => {
    expect(broadcastLanguage([...hq], 'nl', ['en', 'fr'])).toBe('nl');
  });
  it('else the language of their first confirmed subscription the edition has', () => {
    expect(broadcastLanguage([...hq], 'de', ['de', 'en', 'fr'])).toBe('en');
  });
  it('else the edition first language', () => {
    expect(broadcastLanguage([...hq], 'de', ['de'])).toBe('fr');
  });
});

describe('RateGovernor', () => {
  it('starts at most `rate` sends in any one-second window, evenly spaced', async () => {
    let now = 0;
    const starts: number[] = [];
    const governor = new RateGovernor(
      20,
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    for (let i = 0; i < 100; i++) {
      await governor.acquire();
      starts.push(now);
    }
    for (let i = 0; i < starts.length; i++) {
      const inWindow = starts.filter((t) => t > (starts[i] ?? 0) - 1000 && t <= (starts[i] ?? 0)).length;
      expect(inWindow).toBeLessThanOrEqual(20);
    }
    // ~19/s: 100 sends take about 5.2 s, no faster.
    expect(now).toBeGreaterThan(5000);
    expect(now).toBeLessThan(5600);
  });

  it('keeps the rate when timers fire late: a late wake-up is not paid again on the next send', async () => {
    let now = 0;
    const starts: number[] = [];
    // Every timer fires 4 ms late (a busy event loop); at 200/s a slot is 5 ms.
    const governor = new RateGovernor(
      200,
      () => now,
      async (ms) => {
        now += ms + 4;
      },
    );
    for (let i = 0; i < 1000; i++) {
      await governor.acquire();
      starts.push(now);
    }
    // 199/s planned: 1,000 sends in about 5.0 s (paying each delay would take 9 s).
    expect(now).toBeLessThan(5200);
    for (let i = 0; i < starts.length; i += 50) {
      const inWindow = starts.filter((t) => t > (starts[i] ?? 0) - 1000 && t <= (starts[i] ?? 0)).length;
      expect(inWindow).toBeLessThanOrEqual(200);
    }
  });
});

describe('SES error paths (aws-sdk-client-mock: a local server cannot produce them)', () => {
  const ses = new SESClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(ses);
  const envelope = {
    from: { name: 'Embassy', address: 'tokyo@newsletter.missive.example.org' },
    replyTo: 'tokyo@diplomatie.example',
    subject: 'S',
    editionId: 'ed_1',
    tags: { edition: 'ed_1', post: 'tokyo' },
  };
  const reader = {
    to: 'reader@example.org',
    recipientId: 'sub_1',
    unsubscribeUrl: 'https://news.example.org/unsubscribe?token=t',
    html: '<p>x</p>',
    text: 'x',
  };
  const send = async (mailer: ReturnType<typeof sesMailer>) => (await mailer.prepare(envelope)).send(reader);

  it('tells throttling (retry), rejection (give up) and daily quota (pause) apart', async () => {
    const errors: unknown[] = [];
    for (const error of [
      Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }),
      Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }),
      Object.assign(new Error('Daily message quota exceeded.'), { name: 'Throttling' }),
    ]) {
      mock.reset();
      mock.on(SendRawEmailCommand).rejects(error);
      errors.push(await send(sesMailer(ses)).catch((e: unknown) => e));
    }
    expect(isThrottling(errors[0])).toBe(true);
    expect(isRejected(errors[1])).toBe(true);
    expect(isThrottling(errors[1])).toBe(false);
    expect(isDailyQuotaExceeded(errors[2])).toBe(true);
  });

  it('sends raw MIME with the tags SES events come back with', async () => {
    mock.reset();
    mock.on(SendRawEmailCommand).resolves({ MessageId: 'm-1' });
    const out = await send(sesMailer(ses, { configurationSet: 'missive-dev' }));
    expect(out.messageId).toBe('m-1');
    const input = mock.commandCalls(SendRawEmailCommand)[0]?.args[0].input;
    expect(input?.ConfigurationSetName).toBe('missive-dev');
    expect(input?.Tags).toEqual([
      { Name: 'edition', Value: 'ed_1' },
      { Name: 'post', Value: 'tokyo' },
      { Name: 'recipient', Value: 'sub_1' },
    ]);
    expect(Buffer.from(input?.RawMessage?.Data ?? new Uint8Array()).toString()).toMatch(
      /^Content-Type: multipart\/alternative/m,
    );
  });

  it('backs off exponentially with jitter, capped at 5 s', () => {
    expect(backoffMs(0, () => 0.999)).toBeLessThan(50);
    expect(backoffMs(3, () => 0.999)).toBeLessThan(400);
    expect(backoffMs(20, () => 0.999)).toBeLessThan(5000);
    expect(backoffMs(5, () => 0)).toBe(0);
  });
});
