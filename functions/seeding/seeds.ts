import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { ConflictError, ValidationError } from '../core/errors';
import { stableId } from '../core/ids';
import { normaliseEmail, Post, type Subscriber, type Subscription, type Suppression } from '../core/model';
import type { Clock, PostRepository } from '../core/ports';
import { parseInput } from '../core/validation';
import type { EditionRepository } from '../editions/ports';
import { parseCsv, SubscriptionRow, SuppressionRow } from '../subscribers/csv';
import type { SubscriberRepository, SuppressionRepository } from '../subscribers/ports';
import { seedEditions } from './editions';

/** Sample data for the local stack and for a fresh deployment: seeds/posts.json and two CSV files. */
export interface SeedData {
  readonly posts: Post[];
  readonly people: { subscriber: Subscriber; subscriptions: Subscription[] }[];
  readonly suppressions: Suppression[];
}

/** Reads and validates the seed files; a bad one gives one line naming the file, line and field. */
export async function readSeeds(dir: string, clock: Clock): Promise<SeedData> {
  const postsFile = join(dir, 'posts.json');
  let rawPosts: unknown;
  try {
    rawPosts = JSON.parse(await readFile(postsFile, 'utf8'));
  } catch (error) {
    throw new ValidationError(`${postsFile}: ${(error as Error).message}`);
  }
  const posts = parseInput(z.array(Post), rawPosts, postsFile);
  const byCode = new Map(posts.map((p) => [p.code, p]));

  const subsFile = join(dir, 'subscribers.csv');
  const rows = parseCsv(await readFile(subsFile, 'utf8'), subsFile, SubscriptionRow);
  const now = clock.now().toISOString();
  const people = new Map<string, { subscriber: Subscriber; subscriptions: Subscription[] }>();
  for (const { row, line } of rows) {
    const post = byCode.get(row.post);
    if (!post) throw new ValidationError(`${subsFile}:${line}: post "${row.post}" is not in posts.json`);
    if (!post.audiences.some((a) => a.id === row.audience)) {
      throw new ValidationError(
        `${subsFile}:${line}: audience "${row.audience}" does not exist at ${row.post}`,
      );
    }
    if (!post.languages.includes(row.language)) {
      throw new ValidationError(
        `${subsFile}:${line}: language "${row.language}" is not offered by ${row.post}`,
      );
    }
    const email = normaliseEmail(row.email);
    let person = people.get(email);
    if (!person) {
      person = {
        subscriber: {
          // Stable ids: loading the seeds again overwrites the same items, never adds copies.
          id: stableId('sub', email),
          email,
          name: row.name,
          language: row.preferred_language,
          consent: { at: row.consent_at, source: row.consent_source },
          createdAt: row.consent_at,
        },
        subscriptions: [],
      };
      people.set(email, person);
    }
    person.subscriptions.push({
      subscriberId: person.subscriber.id,
      post: row.post,
      audience: row.audience,
      language: row.language,
      status: row.status,
      updatedAt: now,
    });
  }

  const suppFile = join(dir, 'suppressions.csv');
  const suppressions = parseCsv(await readFile(suppFile, 'utf8'), suppFile, SuppressionRow).map(
    ({ row }) => ({
      email: normaliseEmail(row.email),
      reason: row.reason,
      at: row.at,
    }),
  );
  return { posts, people: [...people.values()], suppressions };
}

export interface SeedRepositories {
  readonly posts: PostRepository;
  readonly subscribers: SubscriberRepository;
  readonly suppressions: SuppressionRepository;
  readonly editions: EditionRepository;
}

export interface SeedResult {
  readonly loaded: boolean;
  readonly posts: number;
  readonly subscribers: number;
  readonly subscriptions: number;
  readonly suppressions: number;
  readonly editions: number;
}

/**
 * Loads the seeds when the store holds no post yet; otherwise leaves everything as
 * it is (a restart never duplicates or overwrites data).
 */
export async function loadSeedsIfEmpty(
  repos: SeedRepositories,
  data: SeedData,
  progress?: (done: number, total: number) => void,
): Promise<SeedResult> {
  const existing = await repos.posts.list();
  if (existing.length > 0) {
    return {
      loaded: false,
      posts: existing.length,
      subscribers: 0,
      subscriptions: 0,
      suppressions: 0,
      editions: 0,
    };
  }
  await repos.subscribers.importMany(data.people, progress);
  for (const s of data.suppressions) await repos.suppressions.put(s);
  const editions = seedEditions(data.posts, '2026-11-20T09:00:00.000Z');
  for (const e of editions) {
    await repos.editions.create(e).catch((error: unknown) => {
      if (!(error instanceof ConflictError)) throw error; // already there from an interrupted load
    });
  }
  // Posts last: their presence marks the store as seeded, so an interrupted load is
  // done again on the next start, overwriting the same items (stable ids).
  for (const post of data.posts) await repos.posts.put(post);
  return {
    loaded: true,
    posts: data.posts.length,
    subscribers: data.people.length,
    subscriptions: data.people.reduce((n, p) => n + p.subscriptions.length, 0),
    suppressions: data.suppressions.length,
    editions: editions.length,
  };
}
