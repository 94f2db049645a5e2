import { ConflictError } from '../core/errors';
import { newId } from '../core/ids';
import type { Logger } from '../core/log';
import { HQ_POST } from '../core/model';
import { type Edition, nextStatus } from '../editions/model';
import { type DispatchDeps, dispatchStep, queueFirstSteps, startSending } from './dispatch';
import { type DispatchMessage, remaining, type SendBatchMessage, type SendProgress } from './model';
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
          {
            editions: deps.editions.editions,
            progress: deps.progress,
            clock: deps.editions.clock,
            audit: deps.editions.audit,
          },
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

/** An edition's settled send records by status: the truth when counters fall short. */
export interface SettledCounts {
  readonly sent: number;
  readonly skipped: number;
  readonly failed: number;
  readonly overlaps: number;
}

/** Counts an edition's settled send records (sent, skipped, failed, overlap): the truth when counters fall short. */
export interface SettledSends {
  settled(editionId: string): Promise<SettledCounts>;
}

export interface FinishDeps extends Pick<DispatchDeps, 'editions' | 'progress' | 'clock' | 'audit'> {
  /** Without it (a worker after its batch) only complete counters finish an edition. */
  readonly settled?: SettledSends;
  readonly log?: Logger;
  /** When each stalled edition's records were last counted: at most once per stall window. */
  readonly recordChecks?: Map<string, number>;
}

export interface SchedulerDeps extends DispatchDeps {
  readonly log: Logger;
  readonly settled: SettledSends;
  readonly recordChecks?: Map<string, number>;
}

/**
 * The schedule tick (EventBridge every minute on AWS, every 2 s locally): start
 * every scheduled edition that is due, and finish every sending edition whose
 * recipients are all accounted for (workers also finish it after their last batch).
 */
export async function runScheduler(
  deps: SchedulerDeps,
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
    try {
      // One read of the progress serves both checks.
      const progress = await deps.progress.read(id);
      if (await resumeUndispatched(deps, id, now, progress)) continue;
      if (await finishIfDone(deps, id, deps.stallMs, progress)) finished.push(id);
    } catch (error) {
      // One edition's failure does not keep the others from finishing.
      deps.log.warn('could not finish an edition', { edition: id, reason: (error as Error).message });
    }
  }
  return { started, finished };
}

const WAITING = 'waiting:';

/**
 * An edition saved as "sending" whose first dispatch steps never got queued (a crash
 * between the two): after the stall window its first steps are queued again. Steps
 * count once, and the send records make queued batches harmless to repeat.
 */
async function resumeUndispatched(
  deps: SchedulerDeps,
  id: string,
  now: Date,
  p: SendProgress,
): Promise<boolean> {
  if ((p.steps ?? 0) > 0 || (p.started && p.dispatchPending === 0)) return false;
  const edition = await deps.editions.get(id);
  if (edition?.status !== 'sending') return false;
  if (now.getTime() - Date.parse(edition.updatedAt) <= (deps.stallMs ?? 10 * 60_000)) return true;
  deps.log.warn('an edition was sending with nothing dispatched: queueing its first steps again', {
    edition: id,
  });
  await queueFirstSteps(deps, edition);
  return true;
}

/**
 * An edition whose dispatch is over and whose every queued recipient is settled
 * becomes "sent". The counters say so when they add up. A crash between a record
 * and its count leaves them short for good, so once they have not moved for
 * `stallMs` the send records are counted instead (a Scan on AWS: only then, and at
 * most once per `stallMs`); unsettled recipients keep the edition sending, since
 * their queue messages are delivered again.
 */
export async function finishIfDone(
  deps: FinishDeps,
  editionId: string,
  stallMs: number = 10 * 60_000,
  /** The progress, when the caller has just read it. */
  known?: SendProgress,
): Promise<boolean> {
  const edition = await deps.editions.get(editionId);
  if (edition?.status !== 'sending') return false;
  const p = known ?? (await deps.progress.read(editionId));
  // No dispatch step recorded yet: its START may be saved while its pending steps are
  // not added yet, and "0 pending, 0 remaining" would finish a send that never began.
  if (p.dispatchPending > 0 || (p.steps ?? 0) === 0) return false;
  let final = p;
  let fix: Partial<SendProgress> | undefined;
  if (remaining(p) > 0) {
    const now = deps.clock.now().getTime();
    const stalled = p.lastChangeAt !== undefined && now - Date.parse(p.lastChangeAt) > stallMs;
    if (!stalled || !deps.settled) return false;
    const checked = deps.recordChecks?.get(editionId);
    if (checked !== undefined && now - checked < stallMs) return false;
    deps.recordChecks?.set(editionId, now);
    const records = await deps.settled.settled(editionId);
    const unsettled = p.queued - (records.sent + records.skipped + records.failed + records.overlaps);
    if (unsettled > 0) {
      deps.log?.warn('stalled send not finished: recipients not settled', {
        edition: editionId,
        unsettled,
        queued: p.queued,
      });
      // A pause already explained (the daily quota) keeps its own note.
      if (!p.note || p.note.startsWith(WAITING)) {
        await deps.progress.note(
          editionId,
          `${WAITING} ${unsettled} of ${p.queued} recipients are not settled yet; their queued messages will be delivered again`,
        );
      }
      return false;
    }
    // Every recipient is settled but the counters fell short (a crash lost a batch's
    // counts): the records are the truth, so the final figures are set from them.
    // Applied once the status is saved: only the one who finishes it corrects them.
    fix = {
      sent: records.sent - p.sent,
      skipped: records.skipped - p.skipped,
      failed: records.failed - p.failed,
      overlaps: records.overlaps - p.overlaps,
    };
    final = { ...p, ...records };
  }
  let status: Edition['status'];
  try {
    status = nextStatus(edition.status, 'finish-sending', false);
    await deps.editions.save(
      { ...edition, status, updatedAt: deps.clock.now().toISOString(), version: edition.version + 1 },
      edition.version,
    );
  } catch (error) {
    if (error instanceof ConflictError) return false; // another worker finished it
    throw error;
  }
  deps.recordChecks?.delete(editionId);
  if (fix) await deps.progress.add(editionId, fix);
  // The end of the send, by nobody in particular: the person who started it is on "edition.sending".
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: 'system',
    action: 'edition.sent',
    ...(edition.post === HQ_POST ? {} : { post: edition.post }),
    target: { type: 'edition', id: edition.id },
    detail: { queued: final.queued, sent: final.sent, skipped: final.skipped, failed: final.failed },
  });
  return true;
}
