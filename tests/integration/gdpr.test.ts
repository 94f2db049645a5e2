import { DeleteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoPersonalData } from '../../functions/adapters/dynamodb/personal-data';
import { recipientLinks } from '../../functions/core/recipient-links';
import type { Edition } from '../../functions/editions/model';
import {
  approveEdition,
  createEdition,
  scheduleEdition,
  submitEdition,
} from '../../functions/editions/service';
import { scopes } from '../../functions/engagement/model';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { erasePerson } from '../../functions/subscribers/gdpr';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { members } from '../helpers/people';
import { smallSeeds } from '../helpers/seeds';
import { bearer, stackOptions, tokenFor } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/**
 * GDPR: a person who received an edition and clicked in it is erased; afterwards no
 * table holds their address (in any case) or their id, only a keyed hash in the
 * suppression list; the edition's counts are as they were; the address cannot come back.
 */
let stack: LocalStack;
let admin: string;
let edition: Edition;
const [reader, other] = members(2, { post: 'tokyo', audience: 'economic', language: 'en', prefix: 'gdpr' });
if (!reader || !other) throw new Error('no readers');
const person = { ...reader.subscriber, email: 'Erika.Mustermann@Example.org' };
const EMAIL = 'erika.mustermann@example.org';

/** Every item of every table, as JSON text, by table. */
async function everyItem(): Promise<{ table: string; text: string; item: Record<string, unknown> }[]> {
  const out: { table: string; text: string; item: Record<string, unknown> }[] = [];
  for (const table of Object.values(stack.ctx.settings.tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await stack.ctx.dynamo.doc.send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) out.push({ table, text: JSON.stringify(item), item });
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return out;
}

const api = (path: string, token: string, body: unknown) =>
  fetch(`${stack.urls.api}${path}`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const progressOf = async () =>
  (await (
    await fetch(`${stack.urls.api}/posts/tokyo/editions/${edition.id}/progress`, {
      headers: bearer(admin),
    })
  ).json()) as { progress: Record<string, number> };

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(0) }));
  admin = await tokenFor(stack, [{ role: 'admin' }]);
  await stack.ctx.repos.subscribers.importMany([{ ...reader, subscriber: person }, other]);
  const editor = { id: 'editor-1', roles: ['post-editor'] };
  const draft = await createEdition(stack.ctx.editions, editor, 'tokyo', {
    title: 'News',
    sensitive: false,
    variants: [
      {
        audience: 'economic',
        language: 'en',
        subject: 'News from Belgium',
        preheader: '',
        intro: 'Hello',
        blocks: [
          { type: 'local', title: 'Trade mission', text: 'A mission visits Osaka.' },
          { type: 'cta', label: 'Register', url: 'https://tokyo.example.org/mission' },
        ],
      },
    ],
  });
  const approver = { id: 'approver-2', roles: ['post-approver'] };
  const submitted = await submitEdition(stack.ctx.editions, editor, draft);
  edition =
    submitted.status === 'approved'
      ? submitted
      : await approveEdition(stack.ctx.editions, approver, submitted);
  await scheduleEdition(stack.ctx.editions, approver, edition);
  await waitFor(async () => (await stack.ctx.repos.editions.get(edition.id))?.status === 'sent');
  // The send's SES event fills the ledger (events table) shortly after.
  await waitFor(
    async () => (await stack.ctx.sending.worker.ledger.accepted(edition.id, person.id)) !== undefined,
  );
}, 120_000);
afterAll(async () => stack?.stop());

describe('GDPR access and erasure', () => {
  it('right of access: profile, subscriptions with consent, send record and ledger, audited', async () => {
    // The person opens and clicks the edition they received: both are recorded (their mark, the counters).
    const links = recipientLinks(stack.urls.api, stack.ctx.settings.signingKeys, {
      subscriberId: person.id,
      editionId: edition.id,
      post: 'tokyo',
      audience: 'economic',
      language: 'en',
    });
    expect((await fetch(`${links.click}0`, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(links.open ?? '')).status).toBe(200);
    await waitFor(async () => {
      const counts = (await stack.ctx.counters.read(scopes.edition(edition.id))).counts;
      return counts.clicks === 1 && counts.opens === 1;
    });

    const editor = await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]);
    expect((await api('/subscribers/access', editor, { email: EMAIL })).status).toBe(403);
    const res = await api('/subscribers/access', admin, { email: 'ERIKA.Mustermann@example.org' });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Record<string, unknown>;
    expect(report.profile).toMatchObject({ id: person.id, email: EMAIL });
    expect(report.subscriptions).toEqual([expect.objectContaining({ post: 'tokyo', status: 'confirmed' })]);
    expect(report.sends).toEqual([
      expect.objectContaining({ pk: `${edition.id}#${person.id}`, status: 'sent' }),
    ]);
    // The ledger of the send, SES's Send and Delivery events, their opens and clicks of the
    // edition, and the months they were sent to and engaged (the engagement rate's people).
    const events = report.events as { sk: string }[];
    expect(events.map((e) => e.sk).sort()).toEqual(
      [
        'ACCEPTED',
        'ACTIVITY',
        `ED#${edition.id}#CLICKS`,
        `ED#${edition.id}#OPENS`,
        expect.stringMatching(/^EV#delivery#/),
        expect.stringMatching(/^EV#send#/),
      ].sort(),
    );
    const trail = (await stack.ctx.audit.list(undefined, { limit: 100 })).items;
    expect(trail.find((e) => e.action === 'subscriber.accessed')).toMatchObject({
      actor: 'user-admin',
      target: { type: 'subscriber', id: person.id },
    });
    const unknown = await api('/subscribers/access', admin, { email: 'nobody@example.org' });
    expect(unknown.status).toBe(404);
    // Erasing an address nobody holds is a 404, not a new suppression for good.
    const typo = await api('/subscribers/erase', admin, { email: 'nobody@example.org' });
    expect(typo.status).toBe(404);
    expect(await stack.ctx.repos.suppressions.get('nobody@example.org')).toBeUndefined();
  });

  it('erasure leaves no address and no id in any table, only the hash; counts unchanged; no way back', async () => {
    // A suppression added and lifted by staff leaves the address in the audit trail's details.
    const add = await api('/suppressions', admin, { email: EMAIL, reason: 'asked by phone' });
    expect(add.status).toBe(201);
    expect((await api('/suppressions/remove', admin, { email: EMAIL, reason: 'mistake' })).status).toBe(200);
    const before = await progressOf();
    expect(before.progress.sent).toBe(2);
    const engagementBefore = (await stack.ctx.counters.read(scopes.edition(edition.id))).counts;
    expect(engagementBefore).toMatchObject({ clicks: 1, uclicks: 1, opens: 1, uopens: 1, delivered: 2 });
    const named = (await everyItem()).filter(
      (i) => i.text.toLowerCase().includes(EMAIL) || i.text.includes(person.id),
    );
    // Profile, claim, subscription; send record; ledger; audit entries: the scan can see them.
    expect(new Set(named.map((i) => i.table)).size).toBeGreaterThanOrEqual(4);

    const res = await api('/subscribers/erase', admin, { email: EMAIL.toUpperCase() });
    expect(res.status).toBe(200);
    const { pseudonym, removed } = (await res.json()) as {
      pseudonym: string;
      removed: Record<string, number>;
    };
    expect(removed).toMatchObject({ subscriber: 3, sends: 1, events: 6 });
    expect(removed.audit).toBeGreaterThanOrEqual(2);

    const items = await everyItem();
    const forms = [EMAIL, EMAIL.toUpperCase(), person.email, person.id];
    const left = items.filter(
      (i) => forms.some((f) => i.text.includes(f)) || i.text.toLowerCase().includes(EMAIL),
    );
    expect(left).toEqual([]);
    // Only the keyed hash stays, as a suppression.
    const hashes = items.filter(
      (i) => i.table === stack.ctx.settings.tables.suppressions && i.item.reason === 'erased',
    );
    expect(hashes).toHaveLength(1);
    expect(hashes[0]?.item).toMatchObject({
      reason: 'erased',
      pk: expect.stringMatching(/^ERASED#[0-9a-f]{64}$/),
    });
    // The audit trail keeps what staff did, naming a pseudonym; the erasure itself is audited so.
    const trail = (await stack.ctx.audit.list(undefined, { limit: 100 })).items;
    expect(trail.find((e) => e.action === 'subscriber.erased')).toMatchObject({
      actor: 'user-admin',
      target: { type: 'subscriber', id: pseudonym },
    });
    expect(trail.find((e) => e.action === 'suppression.added')?.detail?.email).toBe(pseudonym);

    // Aggregates: the edition's progress and engagement counters are untouched.
    expect(await progressOf()).toEqual(before);
    expect((await stack.ctx.counters.read(scopes.edition(edition.id))).counts).toEqual(engagementBefore);
    // The other reader is still there.
    expect(await stack.ctx.repos.subscribers.findByEmail(other.subscriber.email)).toBeDefined();

    // No way back: an import or subscription checks suppressedAmong / get, in any case.
    const refused = await stack.ctx.repos.suppressions.suppressedAmong([
      EMAIL.toUpperCase(),
      'new@example.org',
    ]);
    expect(refused).toEqual(new Set([EMAIL]));
    expect(await stack.ctx.repos.suppressions.get(person.email)).toMatchObject({ reason: 'erased' });
    const reimport = await fetch(
      `${stack.urls.api}/posts/tokyo/subscribers/import?audience=economic&name=list.csv`,
      {
        method: 'POST',
        headers: { ...bearer(admin), 'content-type': 'text/csv' },
        body: `Email,First Name\n${EMAIL.toUpperCase()},Erika\nfresh@example.org,Fresh\n`,
      },
    );
    expect(reimport.status).toBe(201);
    const { report } = (await reimport.json()) as {
      report: { imported: number; suppressed: { count: number } };
    };
    expect(report).toMatchObject({ imported: 1, suppressed: { count: 1 } });
    expect(await stack.ctx.repos.subscribers.findByEmail(EMAIL)).toBeUndefined();
    expect((await everyItem()).filter((i) => i.text.toLowerCase().includes(EMAIL))).toEqual([]);
    const readd = await api('/suppressions', admin, { email: EMAIL, reason: 'again' });
    expect(readd.status).toBe(409);
    // Erasing again finds nothing more and changes nothing else.
    const again = (await (await api('/subscribers/erase', admin, { email: EMAIL })).json()) as {
      removed: unknown;
    };
    expect(again.removed).toEqual({ subscriber: 0, sends: 0, events: 0, audit: 0 });
  });

  it(
    'the CLI: show prints the JSON, erase wants --yes (exit 2) and then erases',
    async () => {
      const env = stackEnv(stack);
      const shown = await missive(['subscribers', 'show', other.subscriber.email], env);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout).profile.id).toBe(other.subscriber.id);
      const refused = await missive(['subscribers', 'erase', other.subscriber.email], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toBe('missive: erasure cannot be undone: run again with --yes');
      const erased = await missive(['subscribers', 'erase', other.subscriber.email, '--yes', '--json'], env);
      expect(erased.code).toBe(0);
      expect(await stack.ctx.repos.subscribers.findByEmail(other.subscriber.email)).toBeUndefined();
      const bad = await missive(['subscribers', 'show', 'not-an-address'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^missive: email: /);
    },
    SPAWNING.timeout,
  );
});

describe('an interrupted erasure', () => {
  it('leaves the address suppressed (as its hash) and the person findable, and a rerun finishes it', async () => {
    const [late] = members(1, { post: 'berlin', audience: 'economic', language: 'de', prefix: 'late' });
    if (!late) throw new Error('no person');
    await stack.ctx.repos.subscribers.importMany([late]);
    const real = stack.ctx.dynamo.doc;
    let deletes = 0;
    // The store fails on its second delete in the subscribers table: a crash half-way.
    const flaky = {
      send: (command: unknown) => {
        if (
          command instanceof DeleteCommand &&
          command.input.TableName === stack.ctx.settings.tables.subscribers &&
          ++deletes === 2
        )
          return Promise.reject(new Error('connection reset'));
        return real.send(command as DeleteCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const deps = {
      ...stack.ctx.staff,
      personalData: new DynamoPersonalData(flaky, stack.ctx.settings.tables),
    };
    const actor = { id: 'admin-1', roles: ['admin'] };
    await expect(erasePerson(deps, actor, late.subscriber.email)).rejects.toThrow('connection reset');
    // Never mailed meanwhile, and the claim (deleted last) still leads to the person.
    expect(await stack.ctx.repos.suppressions.suppressedAmong([late.subscriber.email])).toEqual(
      new Set([late.subscriber.email]),
    );
    expect(await stack.ctx.repos.subscribers.findByEmail(late.subscriber.email)).toBeDefined();

    await erasePerson(stack.ctx.staff, actor, late.subscriber.email);
    const left = (await everyItem()).filter(
      (i) => i.text.includes(late.subscriber.id) || i.text.includes(late.subscriber.email),
    );
    expect(left).toEqual([]);
  });
});
