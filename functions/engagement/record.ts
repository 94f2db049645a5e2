import { createHmac } from 'node:crypto';
import type { Counters } from '../core/counters';
import type { Logger } from '../core/log';
import type { Clock } from '../core/ports';
import {
  type ActivityAdds,
  type ActivityKind,
  activityAttributes,
  countWindows,
  everyWindow,
  markActive,
  newWindows,
} from './activity';
import { detectScannerBursts } from './classify';
import {
  type EngagementEvent,
  hourCounter,
  ITEM_MONTH_COUNTERS,
  itemCounter,
  itemsMonth,
  linkCounter,
  postCounter,
  reportScopes,
  scopes,
} from './model';
import {
  type AudienceDirectory,
  type AudienceFacts,
  type EngagementStore,
  type MarkKey,
  markKeyString,
  type Suppressions,
  type Unsubscriber,
  type VariantStories,
} from './ports';

/**
 * Recording engagement, the use case. A batch of events (an SQS batch on AWS, the
 * local queue's batch, a replayed file) is recorded as:
 *  1. each event written once, conditional on its id: a redelivered event is found
 *     there and counted nowhere (the records expire by TTL). For opens and clicks
 *     that one write goes to the person's mark for the edition (first open, first
 *     human open, first click, links clicked, and the events themselves), whose
 *     state before the write makes "unique" exact;
 *  2. every counter of the batch summed in memory and written once per scope
 *     (Counters shards a hot scope), so an open or a click costs its raw record and
 *     a share of a few counter writes;
 *  3. the effects: a permanent bounce or a complaint suppresses the address for
 *     every post and stops every newsletter; N consecutive editions that
 *     soft-bounced suppress it too.
 * An aggregate-only audience keeps no per-person trace: its raw events and marks
 * are keyed by a keyed hash of (edition, person) and expire with the raw events.
 */
export interface EngagementPolicy {
  /**
   * Days raw events are kept (default 90). A person's marks for an edition (their
   * opens and clicks of it) are kept as long after their last event: enough for the
   * 90-day engagement rate.
   */
  readonly rawDays: number;
  /** Consecutive editions that soft-bounce before the address is suppressed (default 3). */
  readonly softBounceLimit: number;
  /** Key of the hashes that stand for people of aggregate-only audiences. */
  readonly hashKey: Buffer;
}

export const DEFAULT_ENGAGEMENT_POLICY = { rawDays: 90, softBounceLimit: 3 } as const;

export interface EngagementDeps {
  readonly store: EngagementStore;
  readonly counters: Counters;
  readonly suppressions: Suppressions;
  readonly unsubscriber: Unsubscriber;
  readonly audiences: AudienceDirectory;
  readonly stories: VariantStories;
  readonly clock: Clock;
  readonly log: Logger;
  readonly policy: EngagementPolicy;
}

export interface RecordCounts {
  /** Events recorded for the first time. */
  recorded: number;
  /** Events seen before (redelivery) or twice in the batch: counted nowhere. */
  duplicates: number;
  /** Addresses suppressed (hard bounce, complaint, soft-bounce streak). */
  suppressed: number;
}

/** One event of the batch, its owner (mark key), whether a person made it, and what recording it found. */
interface Entry {
  readonly e: EngagementEvent;
  readonly owner: MarkKey | undefined;
  human: boolean;
  /** Set when the batch reclassified it (a scanner burst). */
  rule?: string;
  /** Recorded now (not seen before). */
  fresh?: boolean;
  /** The person's first open (or click) of the edition; first by a person, not a machine; first on this link. */
  first?: boolean;
  firstHuman?: boolean;
  newLink?: boolean;
}
const UNCLASSIFIED = { class: 'human', rule: 'none', device: 'unknown' } as const;

type Deltas = Map<string, Map<string, number>>;
const bump = (deltas: Deltas, scope: string, name: string, n = 1) => {
  let names = deltas.get(scope);
  if (!names) {
    names = new Map();
    deltas.set(scope, names);
  }
  names.set(name, (names.get(name) ?? 0) + n);
};

const withoutPerson = ({ subscriberId: _s, ...rest }: EngagementEvent): EngagementEvent => rest;
const isTracking = (e: EngagementEvent) => e.kind === 'open' || e.kind === 'click' || e.kind === 'web-view';
/** A proxy open is a real person's open (its time is the fetch); only machines are left out. */
const isHuman = (e: EngagementEvent) => e.classification?.class !== 'machine';

/** Runs `task` over `items` with at most `limit` at a time. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  task: (t: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function recordEvents(
  deps: EngagementDeps,
  batch: readonly EngagementEvent[],
): Promise<RecordCounts> {
  const counts: RecordCounts = { recorded: 0, duplicates: 0, suppressed: 0 };
  const now = deps.clock.now().getTime() / 1000;
  const rawExpiry = Math.floor(now + deps.policy.rawDays * 86_400);

  // Once per id, in the order they happened (the first open is the first in time).
  const byId = new Map<string, EngagementEvent>();
  for (const e of batch) if (!byId.has(e.id)) byId.set(e.id, e);
  counts.duplicates = batch.length - byId.size;
  const events = [...byId.values()].sort((a, b) => a.at.localeCompare(b.at));

  const facts = new Map<string, Promise<AudienceFacts | undefined>>();
  const factsOf = (e: EngagementEvent) => {
    if (!e.post || !e.audience) return Promise.resolve(undefined);
    const key = `${e.post}#${e.audience}`;
    let f = facts.get(key);
    if (!f) {
      f = deps.audiences.audience(e.post, e.audience);
      facts.set(key, f);
    }
    return f;
  };
  const ownerOf = async (e: EngagementEvent): Promise<MarkKey | undefined> => {
    if (!e.editionId || !e.subscriberId || !e.post) return undefined;
    if ((await factsOf(e))?.aggregateOnly) {
      const hash = createHmac('sha256', deps.policy.hashKey)
        .update(`${e.editionId}#${e.subscriberId}`)
        .digest('base64url')
        .slice(0, 22);
      return { hash };
    }
    return { editionId: e.editionId, subscriberId: e.subscriberId, post: e.post };
  };

  const owned: Entry[] = await Promise.all(
    events.map(async (e) => ({ e, owner: await ownerOf(e), human: isHuman(e) })),
  );

  // A scanner that clicks every link of a message within seconds is a machine (judged
  // before anything is written: whether a click is a person's decides its mark).
  const clicks = owned.filter(
    ({ e }) => e.kind === 'click' && e.subscriberId && e.editionId && e.link !== undefined,
  );
  const linkCounts = new Map(clicks.map(({ e }) => [e.editionId ?? '', e.linkCount]));
  const bursts = detectScannerBursts(
    clicks.map(({ e }) => ({
      subscriberId: e.subscriberId ?? '',
      editionId: e.editionId ?? '',
      link: e.link ?? 0,
      at: e.at,
      classification: e.classification ?? UNCLASSIFIED,
    })),
    (editionId) => linkCounts.get(editionId),
  );
  for (const [i, classification] of bursts) {
    const entry = clicks[i];
    if (entry) {
      entry.human = classification.class !== 'machine';
      entry.rule = classification.rule;
    }
  }

  // 1. One write per event, which is its raw record and, for opens and clicks, the
  //    person's mark: the write is refused for an id seen before (a redelivery), and
  //    the mark as it was tells whether this is the first open, the first human
  //    click, the first click on this link. Exact under concurrent batches, since
  //    each answer is DynamoDB's own. One person's events go in order of time.
  const byOwner = new Map<string, Entry[]>();
  for (const entry of owned) {
    const key = entry.owner && isTracking(entry.e) ? markKeyString(entry.owner) : `#solo#${entry.e.id}`;
    const group = byOwner.get(key);
    if (group) group.push(entry);
    else byOwner.set(key, [entry]);
  }
  await inParallel([...byOwner.values()], 16, async (group) => {
    for (const entry of group) {
      const { e, owner } = entry;
      // Aggregate-only: the records name nobody.
      const stored = owner && 'hash' in owner ? withoutPerson(e) : e;
      if (owner && isTracking(e)) {
        const before = await deps.store.recordTracking(stored, owner, entry.human, rawExpiry);
        if (before === 'duplicate') continue;
        entry.fresh = true;
        entry.first = !before.first;
        entry.firstHuman = entry.human && !before.firstH;
        entry.newLink = e.link !== undefined && !before.links.has(e.link);
      } else {
        entry.fresh = await deps.store.putRaw(stored, owner, rawExpiry);
      }
    }
  });
  const recorded = owned.filter((entry) => entry.fresh);
  counts.recorded = recorded.length;
  counts.duplicates += events.length - recorded.length;

  const deltas: Deltas = new Map();
  await countPeople(deps, recorded, factsOf, deltas, now);

  // 3. Counters, summed per scope.
  const suppress: { email: string; reason: 'bounce' | 'complaint'; detail: string; subscriberId?: string }[] =
    [];
  const softBounced: EngagementEvent[] = [];
  const delivered = new Set<string>();
  for (const { e, human, first, firstHuman, newLink } of recorded) {
    const f = await factsOf(e);
    const month = e.at.slice(0, 7);
    const scopesOf: string[] = [scopes.networkMonth(month)];
    if (e.editionId) scopesOf.push(scopes.edition(e.editionId));
    if (e.editionId && e.audience && e.language)
      scopesOf.push(scopes.variant(e.editionId, e.audience, e.language));
    if (e.post) scopesOf.push(scopes.postMonth(e.post, month));
    if (f) scopesOf.push(scopes.audienceMonth(f.kind, month));
    if (e.language) scopesOf.push(scopes.languageMonth(e.language, month));
    // A test send reaches staff, not readers: its effects apply, it counts in no figure.
    const all = (name: string, n = 1) => {
      if (e.test) return;
      for (const s of scopesOf) bump(deltas, s, name, n);
      // Every post's month in one scope too: the network report reads 12 scopes a year.
      if (e.post) bump(deltas, reportScopes.networkPosts(month), postCounter(name, e.post), n);
    };
    const hours = e.editionId ? scopes.editionHours(e.editionId) : undefined;
    /** A central item's counters: its month, and the month's leaderboard (every item in one scope). */
    const story = (itemId: string, name: string) => {
      if (e.test) return;
      bump(deltas, scopes.itemMonth(itemId, month), name);
      if (ITEM_MONTH_COUNTERS.has(name)) bump(deltas, itemsMonth(month), itemCounter(name, itemId));
    };
    switch (e.kind) {
      case 'send':
        all('sent');
        // Each story the message shows reached one more person (story reports).
        if (!e.test && e.editionId && e.audience && e.language)
          for (const item of await deps.stories.of(e.editionId, e.audience, e.language)) story(item, 'sent');
        break;
      case 'delivery':
        all('delivered');
        if (e.subscriberId) delivered.add(e.subscriberId);
        break;
      case 'bounce': {
        const type = (e.bounceType ?? '').toLowerCase();
        if (type === 'permanent') {
          all('bounced_hard');
          for (const email of e.emails ?? [])
            suppress.push({
              email,
              reason: 'bounce',
              detail: e.bounceSubType ?? '',
              ...(e.subscriberId ? { subscriberId: e.subscriberId } : {}),
            });
        } else if (type === 'transient') {
          all('bounced_soft');
          softBounced.push(e);
        } else all('bounced_undetermined');
        break;
      }
      case 'complaint':
        all('complained');
        for (const email of e.emails ?? [])
          suppress.push({
            email,
            reason: 'complaint',
            detail: e.feedbackType ?? '',
            ...(e.subscriberId ? { subscriberId: e.subscriberId } : {}),
          });
        break;
      case 'reject':
        all('rejected');
        break;
      case 'delay':
        all('delayed');
        break;
      case 'rendering-failure':
        all('rendering_failed');
        break;
      case 'subscription':
        all('subscription_events');
        break;
      case 'open':
      case 'web-view': {
        if (e.kind === 'web-view') all('webviews');
        all('opens');
        all(human ? 'opens_h' : 'opens_machine');
        if (e.classification?.class === 'proxy') all('opens_proxy');
        if (hours) bump(deltas, hours, hourCounter('opens', e.at));
        if (hours && human) bump(deltas, hours, hourCounter('opens_h', e.at));
        if (first) {
          all('uopens');
          if (hours) bump(deltas, hours, hourCounter('uopens', e.at));
        }
        if (firstHuman) {
          all('uopens_h');
        }
        break;
      }
      case 'click': {
        all('clicks');
        all(human ? 'clicks_h' : 'clicks_machine');
        if (hours) bump(deltas, hours, hourCounter('clicks', e.at));
        if (hours && human) bump(deltas, hours, hourCounter('clicks_h', e.at));
        const item = e.item;
        if (item) {
          story(item, 'clicks');
          if (human) story(item, 'clicks_h');
        }
        if (e.editionId && e.link !== undefined)
          bump(deltas, scopes.edition(e.editionId), linkCounter(e.link, false));
        if (first) {
          all('uclicks');
          if (hours) bump(deltas, hours, hourCounter('uclicks', e.at));
        }
        if (firstHuman) {
          all('uclicks_h');
        }
        if (newLink && e.link !== undefined) {
          if (e.editionId) bump(deltas, scopes.edition(e.editionId), linkCounter(e.link, true));
          if (item) {
            story(item, 'uclicks');
            if (e.language) story(item, `uclicks_${e.language}`);
            if (e.post) story(item, `uclicks_post_${e.post}`);
          }
        }
        break;
      }
      default:
        all('unknown_events');
    }
  }

  // 4. Effects: suppressions first (never mailed again), then the counters.
  const at = deps.clock.now().toISOString();
  for (const s of suppress) {
    await deps.suppressions.put({
      email: s.email,
      reason: s.reason,
      at,
      ...(s.detail ? { detail: s.detail } : {}),
    });
    if (s.subscriberId) await deps.unsubscriber.everything(s.subscriberId);
    counts.suppressed++;
  }
  counts.suppressed += await softBounceStreaks(deps, softBounced, delivered, at);

  await inParallel([...deltas.entries()], 16, ([scope, names]) =>
    deps.counters.add(scope, Object.fromEntries(names)),
  );
  return counts;
}

/** Days a person's activity item outlives its last change: its months then decide no window. */
const ACTIVITY_DAYS = 200;

/**
 * 2. Unique people over the engagement window (activity.ts): a send, a first open or
 *    click of an edition (by anyone; by a person) makes its months active for the
 *    person, in one write per person per batch; the windows they newly count in are
 *    added to the `people_*` counters. Aggregate-only audiences keep no per-person
 *    trace: there each message sent (each edition engaged with) counts as a person.
 */
async function countPeople(
  deps: EngagementDeps,
  recorded: readonly Entry[],
  factsOf: (e: EngagementEvent) => Promise<AudienceFacts | undefined>,
  deltas: Deltas,
  now: number,
): Promise<void> {
  const add = (scope: string, name: string) => bump(deltas, scope, name);
  const byPerson = new Map<string, ActivityAdds>();
  for (const { e, first, firstHuman } of recorded) {
    if (e.test || !e.subscriberId) continue;
    const kinds: ActivityKind[] =
      e.kind === 'send'
        ? ['s']
        : isTracking(e)
          ? [...(first ? ['e' as const] : []), ...(firstHuman ? ['h' as const] : [])]
          : [];
    if (kinds.length === 0) continue;
    const f = await factsOf(e);
    const month = e.at.slice(0, 7);
    for (const kind of kinds) {
      const attributes = activityAttributes(e, kind, f?.kind);
      if (f?.aggregateOnly) {
        for (const a of attributes) countWindows(a, everyWindow(month), add);
        continue;
      }
      let adds = byPerson.get(e.subscriberId);
      if (!adds) {
        adds = new Map();
        byPerson.set(e.subscriberId, adds);
      }
      markActive(adds, attributes, month);
    }
  }
  // Most events add a month the person already has (their second open this month, a
  // click after the open): one batch read finds those, and only new months are written.
  // The write's answer, not the read, decides the counts, so a concurrent batch that
  // adds the same month in between still counts the person once.
  const known = byPerson.size > 0 ? await deps.store.activities([...byPerson.keys()]) : new Map();
  const writes: [string, ActivityAdds][] = [];
  for (const [id, adds] of byPerson) {
    const sets = known.get(id);
    for (const [attribute, months] of adds) {
      const have = sets?.get(attribute);
      for (const m of months) if (have?.has(m)) months.delete(m);
      if (months.size === 0) adds.delete(attribute);
    }
    if (adds.size > 0) writes.push([id, adds]);
  }
  const expiresAt = Math.floor(now + ACTIVITY_DAYS * 86_400);
  await inParallel(writes, 16, async ([id, adds]) => {
    const before = await deps.store.addActivity(id, adds, expiresAt);
    for (const [attribute, months] of adds)
      countWindows(attribute, newWindows(before.get(attribute) ?? new Set(), months), add);
  });
}

/**
 * Soft bounces: an address that soft-bounces on `softBounceLimit` consecutive
 * editions is suppressed; a delivery ends the streak. Returns the addresses suppressed.
 */
async function softBounceStreaks(
  deps: EngagementDeps,
  softBounced: readonly EngagementEvent[],
  delivered: ReadonlySet<string>,
  at: string,
): Promise<number> {
  const people = [...new Set([...softBounced.map((e) => e.subscriberId ?? ''), ...delivered])].filter(
    Boolean,
  );
  if (people.length === 0) return 0;
  const streaks = await deps.store.streaks(people);
  let suppressed = 0;
  for (const id of delivered) {
    if (streaks.get(id) && !softBounced.some((e) => e.subscriberId === id)) {
      await deps.store.setStreak(id, undefined);
      streaks.delete(id);
    }
  }
  for (const e of softBounced) {
    if (!e.subscriberId || !e.editionId) continue;
    const known = streaks.get(e.subscriberId);
    if (known?.lastEdition === e.editionId) continue; // this edition is counted already
    const next = { streak: (known?.streak ?? 0) + 1, lastEdition: e.editionId };
    streaks.set(e.subscriberId, next);
    if (next.streak >= deps.policy.softBounceLimit) {
      for (const email of e.emails ?? []) {
        await deps.suppressions.put({
          email,
          reason: 'bounce',
          at,
          detail: `soft-bounced ${next.streak} editions in a row`,
        });
        suppressed++;
      }
      await deps.store.setStreak(e.subscriberId, undefined);
    } else await deps.store.setStreak(e.subscriberId, next);
  }
  return suppressed;
}
