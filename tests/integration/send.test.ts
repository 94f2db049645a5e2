import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdition, scheduleEdition, submitEdition } from '../../functions/editions/service';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { members as generatedMembers } from '../helpers/people';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions, startSeededStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

let stack: LocalStack;
const admin = { id: 'test-admin', roles: ['admin'] };

async function members(post: string, audience: string, language: 'en' | 'fr' | 'nl' | 'de') {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await stack.ctx.repos.subscribers.confirmedMembers(post, audience, language, { cursor });
    ids.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

beforeAll(async () => {
  stack = await startSeededStack(400);
});
afterAll(async () => stack?.stop());

describe('sending a post edition', () => {
  it('reaches every confirmed member of each variant once, skipping the suppressed', async () => {
    const summary = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0];
    const edition = await stack.ctx.repos.editions.get(summary?.id ?? '');
    if (!edition) throw new Error('no seeded Tokyo edition');
    const expected = new Set<string>();
    for (const v of edition.variants)
      for (const id of await members('tokyo', v.audience, v.language)) expected.add(`${id}/${v.audience}`);
    // Suppress one member before sending: they must be skipped.
    const [firstKey] = [...expected];
    const victim = await stack.ctx.repos.subscribers.get(firstKey?.split('/')[0] ?? '');
    await stack.ctx.repos.suppressions.put({
      email: victim?.email ?? '',
      reason: 'complaint',
      at: new Date().toISOString(),
    });

    await scheduleEdition(stack.ctx.editions, admin, edition);
    await waitFor(async () => (await stack.ctx.repos.editions.get(edition.id))?.status === 'sent');

    // People, not entries: someone in two Tokyo audiences gets one message.
    const people = [...new Set([...expected].map((k) => k.split('/')[0] ?? ''))];
    const profiles = await stack.ctx.repos.subscribers.getMany(people);
    const suppressed = await stack.ctx.repos.suppressions.suppressedAmong(
      [...profiles.values()].map((p) => p.email),
    );
    expect(suppressed.size).toBeGreaterThanOrEqual(1);

    const progress = await stack.ctx.sending.dispatch.progress.read(edition.id);
    expect(progress.queued).toBe(expected.size);
    expect(progress.overlaps).toBe(expected.size - people.length);
    expect(progress.skipped).toBe(suppressed.size);
    expect(progress.sent).toBe(people.length - suppressed.size);
    expect(progress.failed).toBe(0);

    const store = (await (await fetch(`${stack.urls.ses}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    const to = store.emails.flatMap((e) => e.destination.to);
    expect(to).not.toContain(victim?.email);
    expect(new Set(to).size).toBe(to.length); // nobody twice
    expect(to.length).toBe(people.length - suppressed.size);
  });

  it('gives each message both List-Unsubscribe headers, a text part and a link of its own', async () => {
    const ids = stack.ctx.outbox?.ids() ?? [];
    const mails = await Promise.all(
      ids.slice(0, 5).map(async (id) => simpleParser((await stack.ctx.outbox?.get(id)) ?? Buffer.from(''))),
    );
    const unsubscribeLinks = new Set<string>();
    for (const mail of mails) {
      const header =
        mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r?\n\s+/g, ' ') ?? '';
      expect(header).toMatch(/^List-Unsubscribe: <http:\/\/localhost:\d+\/unsubscribe\?token=[^>]+>$/);
      expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      );
      expect(mail.text?.length).toBeGreaterThan(200);
      const link = /href="(http:\/\/localhost:\d+\/unsubscribe\?token=[^"]+)"/.exec(String(mail.html))?.[1];
      expect(link).toBeDefined();
      unsubscribeLinks.add(link ?? '');
    }
    expect(unsubscribeLinks.size).toBe(mails.length);
  });
});

describe('HQ broadcast', () => {
  it('reaches every confirmed subscriber of every post once, in the language the rule picks', async () => {
    const hq = await stack.ctx.repos.editions.get(
      (await stack.ctx.repos.editions.listByPost('hq')).items[0]?.id ?? '',
    );
    if (!hq) throw new Error('no seeded HQ edition');
    const before = new Set((stack.ctx.outbox?.ids() ?? []).values());

    // Expected, from the data: people with a confirmed subscription anywhere, not suppressed.
    const people = new Map<string, { preferred: string; languages: string[]; confirmed: number }>();
    let cursor: string | undefined;
    do {
      const page = await stack.ctx.sending.dispatch.recipients.networkSegment(0, 1, {
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const m of page.items) {
        if (m.confirmed.length)
          people.set(m.subscriberId, {
            preferred: m.preferredLanguage,
            languages: m.confirmed.map((c) => c.language),
            confirmed: m.confirmed.length,
          });
      }
      cursor = page.cursor;
    } while (cursor);
    const profiles = await stack.ctx.repos.subscribers.getMany([...people.keys()]);
    const suppressed = await stack.ctx.repos.suppressions.suppressedAmong(
      [...profiles.values()].map((p) => p.email),
    );
    const expectedCount = [...profiles.values()].filter((p) => !suppressed.has(p.email)).length;
    const expectedDuplicates = [...people.values()].reduce((n, p) => n + p.confirmed - 1, 0);
    expect(expectedDuplicates).toBeGreaterThan(0);

    await scheduleEdition(stack.ctx.editions, admin, hq);
    await waitFor(async () => (await stack.ctx.repos.editions.get(hq.id))?.status === 'sent');

    const progress = await stack.ctx.sending.dispatch.progress.read(hq.id);
    expect(progress.queued).toBe(people.size);
    expect(progress.duplicates).toBe(expectedDuplicates);
    expect(progress.sent).toBe(expectedCount);

    const sent = (stack.ctx.outbox?.ids() ?? []).filter((id) => !before.has(id));
    const mails = await Promise.all(
      sent.map(async (id) => simpleParser((await stack.ctx.outbox?.get(id)) ?? Buffer.from(''))),
    );
    const to = mails.map((m) => (Array.isArray(m.to) ? '' : (m.to?.value[0]?.address ?? '')));
    expect(new Set(to).size).toBe(to.length);
    expect(to.length).toBe(expectedCount);

    // A German speaker (HQ writes FR/NL/EN) gets the language of their own subscription.
    const byEmail = new Map([...profiles.values()].map((p) => [p.email, p]));
    const german = mails.find((m) => {
      const address = Array.isArray(m.to) ? '' : (m.to?.value[0]?.address ?? '');
      return byEmail.get(address)?.language === 'de';
    });
    if (german) {
      const address = Array.isArray(german.to) ? '' : (german.to?.value[0]?.address ?? '');
      const person = people.get(byEmail.get(address)?.id ?? '');
      const expectedLanguage = person?.languages.find((l) => ['fr', 'nl', 'en'].includes(l)) ?? 'fr';
      expect(
        german.headerLines.find((h) => h.key === 'content-language')?.line ?? `lang:${expectedLanguage}`,
      ).toContain(expectedLanguage);
      expect(String(german.html)).toContain(`lang="${expectedLanguage}"`);
    }
  });
});

describe('the daily quota', () => {
  it('pauses a send that would exceed it, says so, and loses nobody', async () => {
    const small = await startLocalStack(
      stackOptions({
        seedsDir: await smallSeeds(5),
        sesDailyQuota: 30,
        schedulerMs: 200,
        visibilityTimeoutMs: 500,
      }),
    );
    try {
      await small.ctx.repos.subscribers.importMany(
        generatedMembers(80, { post: 'casablanca', audience: 'consular', language: 'fr', prefix: 'quota' }),
      );
      const actor = { id: 'editor', roles: ['post-editor'] };
      const draft = await createEdition(small.ctx.editions, actor, 'casablanca', {
        title: 'Quota',
        sensitive: false,
        variants: [
          {
            audience: 'consular',
            language: 'fr',
            subject: 'Q',
            preheader: '',
            intro: '',
            blocks: [{ type: 'local', title: 'T', text: 'x' }],
          },
        ],
      });
      await scheduleEdition(small.ctx.editions, actor, await submitEdition(small.ctx.editions, actor, draft));
      await waitFor(
        async () => (await small.ctx.sending.dispatch.progress.read(draft.id)).note !== undefined,
        30_000,
      );
      const progress = await small.ctx.sending.dispatch.progress.read(draft.id);
      expect(progress.note).toMatch(
        /^paused: the SES daily quota is reached \(\d+\/30\); sending resumes as the 24-hour window frees$/,
      );
      expect(progress.sent).toBeLessThanOrEqual(30);
      expect(small.queues.send.depth).toBeGreaterThan(0); // waiting, not dropped
      expect(small.queues.send.deadLetters).toEqual([]);
      expect((await small.ctx.repos.editions.get(draft.id))?.status).toBe('sending');
    } finally {
      await small.stop();
    }
  });
});
