import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../functions/core/model';
import { scheduleEdition } from '../../functions/editions/service';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
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
    // The newsletter queued before is still going: the alert did not wait behind it
    // (an order, not a duration: a busy machine slows both alike).
    expect(await status(edition.id)).toBe('sending');
    const crisisSent = (
      await Promise.all(editions.map((e) => stack.ctx.sending.dispatch.progress.read(e.id)))
    ).reduce((n, p) => n + p.sent, 0);
    expect(crisisSent).toBeGreaterThan(5);

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

/**
 * People of known languages at two posts (both offer en, fr, nl, in that order): who
 * gets the alert and in which language is known by construction.
 */
type Lang = Language;
const AT = '2026-01-01T00:00:00Z';
function person(
  key: string,
  preferred: Lang,
  subscriptions: { post: string; language: Lang; status?: 'confirmed' | 'pending' }[],
) {
  const id = `sub_crisis${key}`;
  return {
    subscriber: {
      id,
      email: `${key}@crisis.example.org`,
      name: key,
      language: preferred,
      consent: { at: AT, source: 'test' },
      createdAt: AT,
    },
    subscriptions: subscriptions.map((s) => ({
      subscriberId: id,
      post: s.post,
      audience: 'consular',
      language: s.language,
      status: s.status ?? 'confirmed',
      updatedAt: AT,
    })),
  };
}
const tokyo = (language: Lang, status?: 'pending') => [
  { post: 'tokyo', language, ...(status ? { status } : {}) },
];
const PEOPLE = [
  person('en1', 'en', tokyo('en')),
  person('en2', 'en', tokyo('en')),
  person('en3', 'en', tokyo('en')),
  person('fr1', 'fr', tokyo('fr')),
  person('fr2', 'fr', tokyo('fr')),
  person('nl1', 'nl', tokyo('nl')),
  person('nl2', 'nl', tokyo('nl')),
  person('frnl', 'fr', tokyo('nl')), // prefers French, subscribed in Dutch
  person('defr', 'de', tokyo('fr')), // German (no alert in it), subscribed in French
  person('denl', 'de', tokyo('nl')), // German, subscribed in Dutch
  person('pending', 'fr', tokyo('fr', 'pending')),
  person('both', 'nl', [
    { post: 'tokyo', language: 'nl' },
    { post: 'washington', language: 'nl' },
  ]),
  person('wa1', 'en', [{ post: 'washington', language: 'en' }]),
  person('wa2', 'fr', [{ post: 'washington', language: 'fr' }]),
];
const TOKYO_CONFIRMED = PEOPLE.filter((p) =>
  p.subscriptions.some((s) => s.post === 'tokyo' && s.status === 'confirmed'),
);

describe('crisis alert: everyone, once, in the nearest language', () => {
  let small: LocalStack;
  beforeAll(async () => {
    small = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(0), schedulerMs: 200 }));
    await small.ctx.repos.subscribers.importMany(PEOPLE);
  });
  afterAll(async () => small?.stop());

  const post = async (body: unknown) => {
    const res = await fetch(`${small.urls.api}/crisis`, {
      method: 'POST',
      headers: {
        ...bearer(await tokenFor(small, [{ role: 'spokesperson' }])),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Every message whose subject is one of these, by address, once the editions are sent. */
  const received = async (editions: { id: string }[], subjects: string[]) => {
    for (const e of editions) {
      const deadline = Date.now() + 60_000;
      while ((await small.ctx.repos.editions.get(e.id))?.status !== 'sent' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    }
    const store = (await (await fetch(`${small.urls.ses}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] } }[];
    };
    const byAddress = new Map<string, string[]>();
    for (const m of store.emails.filter((m) => subjects.includes(m.subject)))
      for (const to of m.destination.to) byAddress.set(to, [...(byAddress.get(to) ?? []), m.subject]);
    return byAddress;
  };

  it('an English-only alert reaches the French and Dutch members too, and says how many get which language', async () => {
    const subject = 'Typhoon warning';
    const { status, body } = await post({
      posts: ['tokyo'],
      messages: { en: { subject, text: 'Stay indoors until the warning is lifted.' } },
    });
    expect(status).toBe(202);
    const got = await received(body.editions as { id: string }[], [subject]);
    expect(Object.fromEntries(got)).toEqual(
      Object.fromEntries(TOKYO_CONFIRMED.map((p) => [p.subscriber.email, [subject]])),
    );
    expect(body).toMatchObject({
      recipients: TOKYO_CONFIRMED.length,
      byLanguage: { en: TOKYO_CONFIRMED.length },
      fallback: TOKYO_CONFIRMED.filter((p) => p.subscriber.language !== 'en').length,
      posts: [{ post: 'tokyo', recipients: TOKYO_CONFIRMED.length }],
    });
  }, 120_000);

  it('picks the preferred language, else the subscription language, else the post order; a post listed twice and a person at two posts get one message', async () => {
    const en = {
      subject: 'Earthquake: stay safe',
      text: 'Follow the instructions of the local authorities.',
    };
    const fr = { subject: 'Séisme : restez prudents', text: 'Suivez les consignes des autorités locales.' };
    const { status, body } = await post({ posts: ['tokyo', 'washington', 'tokyo'], messages: { en, fr } });
    expect(status).toBe(202);
    const got = await received(body.editions as { id: string }[], [en.subject, fr.subject]);
    const expected: Record<string, string> = {
      en1: en.subject,
      en2: en.subject,
      en3: en.subject,
      nl1: en.subject,
      nl2: en.subject,
      both: en.subject,
      denl: en.subject,
      fr1: fr.subject,
      fr2: fr.subject,
      frnl: fr.subject,
      defr: fr.subject,
      wa1: en.subject,
      wa2: fr.subject,
    };
    expect(Object.fromEntries(got)).toEqual(
      Object.fromEntries(Object.entries(expected).map(([k, s]) => [`${k}@crisis.example.org`, [s]])),
    );
    expect((body.editions as { post: string }[]).map((e) => e.post)).toEqual(['tokyo', 'washington']);
    expect(body.posts).toMatchObject([
      // en1-3, nl1-2 and both (Dutch: not in the alert, so Tokyo's first language), denl
      // (German, subscribed in Dutch: likewise); fr1-2, frnl (preferred), defr (subscribed).
      { post: 'tokyo', recipients: 11, byLanguage: { en: 7, fr: 4 }, fallback: 5, duplicates: 0 },
      // "both" is reached through Tokyo, listed first.
      { post: 'washington', recipients: 2, byLanguage: { en: 1, fr: 1 }, duplicates: 1 },
    ]);
  }, 120_000);

  it('keeps the alert as text without control or bidi characters (shown in terminals and mail clients), the subject on one line', async () => {
    const { status } = await post({
      posts: ['tokyo'],
      dryRun: true,
      messages: {
        en: {
          subject: 'Flood\r\nBcc: evil@example.org \u202E\u001b[31m <b>now</b>',
          text: 'Stay <script>alert(1)</script> \u001b]0;title\u0007inside\r\n\r\nCall us \u2066+81\u2069',
        },
      },
    });
    expect(status).toBe(200);
    const sent = await post({
      posts: ['tokyo'],
      messages: { en: { subject: 'Flood\r\nBcc: x \u202E\u001b[31m', text: 'a\u001b[2Jb\u202E\n\nc' } },
    });
    expect(sent.status).toBe(202);
    const [edition] = sent.body.editions as { id: string }[];
    const stored = await small.ctx.repos.editions.get(edition?.id ?? '');
    expect(stored?.title).toBe('Crisis alert: Flood  Bcc: x [31m');
    expect(stored?.variants[0]?.subject).toBe('Flood  Bcc: x [31m');
    expect(JSON.stringify(stored?.variants[0]?.blocks)).toContain('a[2Jb\\n\\nc');
  }, 120_000);

  it('a dry run gives the counts and sends nothing; an alert that reaches nobody is refused', async () => {
    const before = (await small.ctx.repos.editions.listByPost('kinshasa')).items.length;
    const dry = await post({ posts: ['tokyo'], messages: { nl: { subject: 'x', text: 'y' } }, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, recipients: 11, byLanguage: { nl: 11 }, fallback: 8 });
    expect(dry.body).not.toHaveProperty('editions');
    const nobody = await post({ posts: ['kinshasa'], messages: { fr: { subject: 'x', text: 'y' } } });
    expect(nobody.status).toBe(400);
    expect((nobody.body.error as { message: string }).message).toBe(
      'nobody to alert: the consular audiences of kinshasa have no confirmed members',
    );
    expect((await small.ctx.repos.editions.listByPost('kinshasa')).items).toHaveLength(before);
  });

  it(
    'missive crisis send: shows who gets which language, asks, and sends only when confirmed',
    SPAWNING,
    async () => {
      const env = stackEnv(small);
      const alert = ['--language', 'fr', '--subject', 'Alerte : tempête', '--text', 'Restez chez vous.'];
      // Not at a terminal and no --yes: the counts, then a refusal; nothing sent.
      const asked = await missive(['crisis', 'send', '--posts', 'washington,tokyo', ...alert], env);
      expect(asked.code).toBe(2);
      expect(asked.stdout).toMatch(/^washington\s+3\s+3\s+2\s+0$/m); // recipients, fr, not own language, duplicates
      expect(asked.stdout).toMatch(/^tokyo\s+10\s+10\s+7\s+1$/m); // "both" is reached through Washington
      expect(asked.stderr).toBe(
        'missive: not sent: no terminal to ask for confirmation; add --yes to send\n',
      );
      expect(
        (await small.ctx.repos.editions.listByPost('washington')).items.map((e) => e.title),
      ).not.toContain('Crisis alert: Alerte : tempête');

      const sent = await missive(
        ['crisis', 'send', '--posts', 'washington', ...alert, '--yes', '--json'],
        env,
      );
      expect(sent.code).toBe(0);
      const lines = sent.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ plan: { recipients: 3, byLanguage: { fr: 3 } } });
      expect(lines[1]).toMatchObject({ recipients: 3, editions: [expect.stringMatching(/^ed_/)] });
      expect(lines.at(-1)).toMatchObject({ status: 'sent', progress: { queued: 3, sent: 3 }, remaining: 0 });
      const got = await received([], ['Alerte : tempête']);
      expect([...got.keys()].sort()).toEqual(['both', 'wa1', 'wa2'].map((k) => `${k}@crisis.example.org`));
    },
  );

  it('missive crisis send: a mistake in the alert is one line and exit 2', SPAWNING, async () => {
    const r = await missive(
      ['crisis', 'send', '--posts', 'tokyo', '--subject', 'x', '--text', 'y'],
      stackEnv(small),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'missive: give the alert with --file FILE, or with --subject, --text and --language\n',
    );
  });
});
