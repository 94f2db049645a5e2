import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFilesFromPath } from '../../functions/adapters/import-files';
import type { Post } from '../../functions/core/model';
import type { LocalStack } from '../../functions/local/stack';
import { formStamp } from '../../functions/subscribers/consent';
import { importSubscribers } from '../../functions/subscribers/import/import';
import type { SubscriberRepository } from '../../functions/subscribers/ports';
import { requestSubscription } from '../../functions/subscribers/subscribe';
import { mailchimpFile } from '../helpers/mailchimp';
import { startSeededStack } from '../helpers/stack';

/**
 * A Mailchimp import and a sign-up through the form for the same new address, each
 * run inside the other's window between "is this address known?" and its writes (the
 * real store; the interleaving forced by holding one path at that read). Either way
 * the address is one person, the import's subscription stays confirmed, and the person
 * is kept (no expiry left from the sign-up).
 */
let stack: LocalStack;
let dir: string;
let tokyo: Post;

beforeAll(async () => {
  stack = await startSeededStack(5);
  dir = await mkdtemp(join(tmpdir(), 'missive-race-'));
  tokyo = (await stack.ctx.repos.posts.get('tokyo')) as Post;
}, 60_000);
afterAll(async () => stack?.stop());

/** The repository, with `hook` run once just after the first call of `method` has read the store. */
function heldAfter(
  method: 'subscriberIdsByEmail' | 'findByEmail',
  hook: () => Promise<void>,
): SubscriberRepository {
  const real = stack.ctx.repos.subscribers;
  let done = false;
  return new Proxy(real, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const answer = await value.apply(target, args);
        if (!done) {
          done = true;
          await hook();
        }
        return answer;
      };
    },
  });
}

async function importOne(email: string, subscribers: SubscriberRepository): Promise<void> {
  const file = join(dir, `subscribed_email_audience_export_${email.split('@')[0]}.csv`);
  await writeFile(file, mailchimpFile('subscribed', [[email, 'Imported', 'Person']]));
  const files = await importFilesFromPath(file);
  try {
    const report = await importSubscribers(
      {
        subscribers,
        suppressions: stack.ctx.repos.suppressions,
        personKey: stack.ctx.settings.signingKeys[0]?.secret ?? '',
      },
      {
        post: tokyo,
        audience: 'economic',
        format: 'auto',
        map: new Map(),
        dryRun: false,
        now: new Date().toISOString(),
      },
      files.sources,
    );
    expect(report.rows).toBe(1);
  } finally {
    files.close();
  }
}

async function signUp(email: string, subscribers: SubscriberRepository): Promise<string> {
  return requestSubscription(
    { ...stack.ctx.subscribe, subscribers },
    {
      post: 'tokyo',
      email,
      name: 'Form Person',
      audiences: ['economic'],
      source: 'form:tokyo',
      stamp: formStamp([...stack.ctx.settings.signingKeys], new Date(Date.now() - 60_000)),
    },
  );
}

/** Every item of the subscribers table about this address: profiles by email, claims, the person's subscriptions. */
async function itemsOf(email: string) {
  const out = await stack.ctx.dynamo.doc.send(
    new ScanCommand({ TableName: stack.ctx.settings.tables.subscribers }),
  );
  const items = out.Items ?? [];
  const profiles = items.filter((i) => i.sk === 'PROFILE' && i.email === email);
  const claim = items.find((i) => i.pk === `EMAIL#${email}`);
  const subscriptions = items.filter(
    (i) => String(i.sk).startsWith('SUBN#') && profiles.some((p) => p.pk === i.pk),
  );
  return { profiles, claim, subscriptions };
}

async function expectOnePersonConfirmed(email: string) {
  const { profiles, claim, subscriptions } = await itemsOf(email);
  expect(profiles).toHaveLength(1);
  expect(claim?.subscriberId).toBe(profiles[0]?.id);
  expect(subscriptions).toEqual([
    expect.objectContaining({ post: 'tokyo', audience: 'economic', status: 'confirmed' }),
  ]);
  // Kept: neither the profile, the claim nor the subscription carries the sign-up's expiry.
  expect(profiles[0]?.expiresAt).toBeUndefined();
  expect(claim?.expiresAt).toBeUndefined();
  expect(subscriptions[0]?.expiresAt).toBeUndefined();
}

describe('an import and a sign-up for the same new address at once', () => {
  it('the sign-up lands between the import reading the list and writing it: one person, confirmed', async () => {
    const email = 'race.form.first@example.org';
    const subscribers = heldAfter('subscriberIdsByEmail', async () => {
      expect(await signUp(email, stack.ctx.repos.subscribers)).toBe('sent');
    });
    await importOne(email, subscribers);
    await expectOnePersonConfirmed(email);
  }, 60_000);

  it('the import lands between the sign-up looking the address up and writing: one person, still confirmed', async () => {
    const email = 'race.import.first@example.org';
    const subscribers = heldAfter('findByEmail', async () => {
      await importOne(email, stack.ctx.repos.subscribers);
    });
    // The same answer as for anybody (never revealing that the address is known).
    expect(await signUp(email, subscribers)).toBe('sent');
    await expectOnePersonConfirmed(email);
  }, 60_000);
});
