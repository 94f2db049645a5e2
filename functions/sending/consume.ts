import { ConflictError } from '../core/errors';
import type { Logger } from '../core/log';
import { type DispatchDeps, dispatchStep, startSending } from './dispatch';
import { type DispatchMessage, remaining, type SendBatchMessage } from './model';
import { processBatch, type WorkerDeps } from './worker';

/**
 * Queue consumers, shared by the Lambda handlers (SQS events) and the local stack's
 * in-process queues: each message is handled on its own; the ids of those to
 * deliver again come back as failures (SQS ReportBatchItemFailures).
 */

export interface Delivered<T> {
  readonly id: string;
  readonly body: T;
}

type Failures = { failures: { id: string; reason: string }[] };

export async function consumeSendBatches(
  deps: WorkerDeps,
  messages: readonly Delivered<SendBatchMessage>[],
): Promise<Failures> {
  const failures: { id: string; reason: string }[] = [];
  for (const m of messages) {
    try {
      const outcome = await processBatch(deps, m.body);
      if (!outcome.complete) failures.push({ id: m.id, reason: outcome.reason ?? 'incomplete' });
      else if (Object.values(outcome.counts).some((n) => n)) {
        await finishIfDone(
          { editions: deps.editions.editions, progress: deps.progress, clock: deps.editions.clock },
          m.body.editionId,
        );
      }
    } catch (error) {
      deps.log.error('send batch failed', { edition: m.body.editionId, reason: (error as Error).message });
      failures.push({ id: m.id, reason: (error as Error).message });
    }
  }
  return { failures };
}

export async function consumeDispatch(
  deps: DispatchDeps & { log: Logger },
  messages: readonly Delivered<DispatchMessage>[],
): Promise<Failures> {
  const failures: { id: string; reason: string }[] = [];
  for (const m of messages) {
    try {
      await dispatchStep(deps, m.body);
    } catch (error) {
      deps.log.error('dispatch step failed', { edition: m.body.editionId, reason: (error as Error).message });
      failures.push({ id: m.id, reason: (error as Error).message });
    }
  }
  return { failures };
}

/**
 * The schedule tick (EventBridge every minute on AWS, every 2 s locally): start
 * every scheduled edition that is due, and finish every sending edition whose
 * recipients are all accounted for (workers also finish it after their last batch).
 */
export async function runScheduler(
  deps: DispatchDeps & { log: Logger },
  now: Date,
): Promise<{ started: string[]; finished: string[] }> {
  const started: string[] = [];
  for (const id of await deps.editions.due(now.toISOString())) {
    const edition = await deps.editions.get(id);
    if (edition?.status !== 'scheduled') continue;
    try {
      await startSending(deps, { id: 'scheduler', roles: [] }, edition);
      started.push(id);
    } catch (error) {
      deps.log.warn('could not start an edition', { edition: id, reason: (error as Error).message });
    }
  }
  const finished: string[] = [];
  for (const id of await deps.editions.sending()) {
    if (await finishIfDone(deps, id, deps.stallMs)) finished.push(id);
  }
  return { started, finished };
}

/** An edition whose dispatch is over and whose every queued recipient is settled becomes "sent". */
export async function finishIfDone(
  deps: Pick<DispatchDeps, 'editions' | 'progress' | 'clock'>,
  editionId: string,
  stallMs: number = 10 * 60_000,
): Promise<boolean> {
  const edition = await deps.editions.get(editionId);
  if (edition?.status !== 'sending') return false;
  const p = await deps.progress.read(editionId);
  if (p.dispatchPending > 0) return false;
  // Every queued recipient settled; or nothing moved for `stallMs` (a crash between a
  // send's record and its count leaves the counters short, never the recipients).
  const stalled =
    p.lastChangeAt !== undefined && deps.clock.now().getTime() - Date.parse(p.lastChangeAt) > stallMs;
  if (remaining(p) > 0 && !stalled) return false;
  try {
    await deps.editions.save(
      { ...edition, status: 'sent', updatedAt: deps.clock.now().toISOString(), version: edition.version + 1 },
      edition.version,
    );
  } catch (error) {
    if (error instanceof ConflictError) return false; // another worker finished it
    throw error;
  }
  return true;
}
