import { ConflictError } from '../core/errors';
import { newId } from '../core/ids';
import type { Language } from '../core/model';
import { HQ_POST } from '../core/model';
import { type Edition, nextStatus } from '../editions/model';
import type { Actor, EditionDeps } from '../editions/service';
import { BATCH_SIZE, type DispatchMessage, type SendBatchMessage } from './model';
import type { ProgressStore, Queues, RecipientSource } from './ports';

/**
 * Dispatch: resolve the recipients of each variant page by page and put them on
 * the send queue in batches of 50. Each step reads a bounded number of pages, then
 * enqueues its own continuation: a large audience is many short steps, never one
 * long run. Steps are recorded once (progress.step): a redelivered step enqueues
 * its batches again (the worker's send records make that harmless) but counts once.
 */

export interface DispatchDeps extends Pick<EditionDeps, 'editions' | 'audit' | 'clock'> {
  readonly recipients: RecipientSource;
  readonly queues: Queues;
  readonly progress: ProgressStore;
  readonly pageSize?: number;
  readonly pagesPerStep?: number;
  readonly broadcastSegments?: number;
  /** An edition whose counters have not moved for this long is finished (default 10 min). */
  readonly stallMs?: number;
  /**
   * Renders (and stores) every variant without a current render, before the first
   * batch is queued: the send workers then only read renders, so theirs is the one
   * function of the pipeline without MJML (issue 21, cold starts).
   */
  readonly prepare?: (edition: Edition) => Promise<void>;
}

const batches = (
  m: Omit<SendBatchMessage, 'subscriberIds' | 'kind'>,
  ids: readonly string[],
): SendBatchMessage[] => {
  const out: SendBatchMessage[] = [];
  for (let i = 0; i < ids.length; i += BATCH_SIZE)
    out.push({ kind: 'send', ...m, subscriberIds: ids.slice(i, i + BATCH_SIZE) });
  return out;
};

/** The first dispatch steps of an edition: its first variant, or every Scan segment of an HQ broadcast. */
export function firstSteps(edition: Edition, broadcastSegments = 4): DispatchMessage[] {
  const priority = edition.priority === 'crisis' ? 'crisis' : 'normal';
  if (edition.post !== HQ_POST) return [{ kind: 'dispatch', editionId: edition.id, variant: 0, priority }];
  return Array.from({ length: broadcastSegments }, (_, segment) => ({
    kind: 'dispatch',
    editionId: edition.id,
    segment,
    totalSegments: broadcastSegments,
    priority,
  }));
}

/**
 * Queues an edition's first dispatch steps; their pending count is added once (the
 * START step is recorded once), so the scheduler may call this again for an edition
 * left "sending" with nothing dispatched (a crash right after the status was saved).
 */
export async function queueFirstSteps(deps: DispatchDeps, edition: Edition): Promise<void> {
  const first = firstSteps(edition, deps.broadcastSegments);
  await deps.prepare?.(edition);
  // The START and its pending steps in one write: a reader never sees one without the other.
  await deps.progress.step(edition.id, START_STEP, 0, 0, first.length);
  await deps.queues.dispatch.send(first);
}

export const START_STEP = 'START';

/** Moves a scheduled edition to "sending" and queues its first dispatch steps. */
export async function startSending(deps: DispatchDeps, actor: Actor, edition: Edition): Promise<Edition> {
  const priority = edition.priority === 'crisis' ? 'crisis' : 'normal';
  const status = nextStatus(edition.status, 'start-sending', false);
  const next: Edition = {
    ...edition,
    status,
    updatedAt: deps.clock.now().toISOString(),
    version: edition.version + 1,
  };
  await deps.editions.save(next, edition.version);
  await queueFirstSteps(deps, edition);
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: actor.id,
    action: 'edition.sending',
    ...(edition.post === HQ_POST ? {} : { post: edition.post }),
    target: { type: 'edition', id: edition.id },
    detail: { priority },
  });
  return next;
}

/** One dispatch step. Returns what it queued (for logs). */
export async function dispatchStep(
  deps: DispatchDeps,
  msg: DispatchMessage,
): Promise<{ queued: number; done: boolean }> {
  const edition = await deps.editions.get(msg.editionId);
  // Cancelled meanwhile (or unknown): nothing more is queued.
  if (edition?.status !== 'sending') return { queued: 0, done: true };
  const queue = msg.priority === 'crisis' ? deps.queues.crisis : deps.queues.send;
  const pageSize = deps.pageSize ?? 500;
  const pages = deps.pagesPerStep ?? 20;
  const stepKey = `${msg.segment ?? 'v'}:${msg.variant ?? ''}:${msg.cursor ?? 'start'}`;

  if (msg.segment !== undefined) return broadcastStep(deps, edition, msg, queue, stepKey);

  const index = msg.variant ?? 0;
  const variant = edition.variants[index];
  if (!variant) throw new ConflictError(`edition ${edition.id} has no variant ${index}`);
  let cursor = msg.cursor;
  let queued = 0;
  for (let p = 0; p < pages; p++) {
    const page = await deps.recipients.confirmedMembers(edition.post, variant.audience, variant.language, {
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    });
    await queue.send(
      batches({ editionId: edition.id, audience: variant.audience, language: variant.language }, page.items),
    );
    queued += page.items.length;
    cursor = page.cursor;
    if (!cursor) break;
  }
  const next: DispatchMessage | undefined = cursor
    ? { ...msg, cursor }
    : index + 1 < edition.variants.length
      ? { kind: 'dispatch', editionId: edition.id, variant: index + 1, priority: msg.priority }
      : undefined;
  if (await deps.progress.step(edition.id, stepKey, queued, 0)) {
    // The continuation takes over the pending count; the last step ends it.
    if (!next) await deps.progress.add(edition.id, { dispatchPending: -1 });
  }
  if (next) await deps.queues.dispatch.send([next]);
  return { queued, done: !next };
}

/**
 * The documented language rule of an HQ broadcast: the person's preferred language
 * if the edition has it; else the language of their first confirmed subscription
 * that the edition has; else the edition's first variant language.
 */
export function broadcastLanguage(
  languages: readonly Language[],
  preferred: Language,
  subscribed: readonly Language[],
): Language | undefined {
  if (languages.includes(preferred)) return preferred;
  return subscribed.find((l) => languages.includes(l)) ?? languages[0];
}

async function broadcastStep(
  deps: DispatchDeps,
  edition: Edition,
  msg: DispatchMessage,
  queue: Queues['send'],
  stepKey: string,
): Promise<{ queued: number; done: boolean }> {
  const languages = edition.variants.map((v) => v.language);
  const audience = edition.variants[0]?.audience ?? 'network';
  const byLanguage = new Map<Language, string[]>();
  let cursor = msg.cursor;
  let duplicates = 0;
  let queued = 0;
  // People subscribed somewhere who asked for no HQ broadcast: the reach report's denominator needs them.
  let declined = 0;
  for (let p = 0; p < (deps.pagesPerStep ?? 20); p++) {
    const page = await deps.recipients.networkSegment(msg.segment ?? 0, msg.totalSegments ?? 1, {
      limit: deps.pageSize ?? 500,
      ...(cursor ? { cursor } : {}),
    });
    for (const member of page.items) {
      if (member.confirmed.length === 0) continue;
      if (member.broadcastsStopped) {
        declined++;
        continue;
      }
      // One person, one message: every other confirmed subscription is a duplicate avoided.
      duplicates += member.confirmed.length - 1;
      const language = broadcastLanguage(
        languages,
        member.preferredLanguage,
        member.confirmed.map((c) => c.language),
      );
      if (!language) continue;
      const list = byLanguage.get(language) ?? [];
      list.push(member.subscriberId);
      byLanguage.set(language, list);
      queued++;
    }
    cursor = page.cursor;
    if (!cursor) break;
  }
  for (const [language, ids] of byLanguage) {
    await queue.send(batches({ editionId: edition.id, audience, language }, ids));
  }
  const next: DispatchMessage | undefined = cursor ? { ...msg, cursor } : undefined;
  if (await deps.progress.step(edition.id, stepKey, queued, duplicates)) {
    if (!next || declined) await deps.progress.add(edition.id, { dispatchPending: next ? 0 : -1, declined });
  }
  if (next) await deps.queues.dispatch.send([next]);
  return { queued, done: !next };
}
