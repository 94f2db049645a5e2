import type { Mailer } from '../core/mail';
import type { Edition } from '../editions/model';
import type { EditionRepository } from '../editions/ports';
import { type DispatchDeps, dispatchStep, firstSteps } from './dispatch';
import { type DispatchMessage, EMPTY_PROGRESS, type SendBatchMessage, type SendRecord } from './model';
import type { ProgressStore, Queue, SendRecords } from './ports';
import { RateGovernor } from './rate';
import { newWorkerCaches, processBatch, type WorkerDeps } from './worker';

/**
 * `missive edition send ID --dry-run --out DIR`: the real dispatch steps and the real
 * worker (processBatch), with in-memory queues, send records and counters, and the
 * mailer the caller gives (the CLI's writes DIR/<n>-<subscriber>.eml through the same
 * MIME builder as SES's). Every message is built exactly as it would be sent; nothing
 * in the store is claimed or counted.
 */
export async function dryRunSend(
  deps: { worker: WorkerDeps; dispatch: DispatchDeps },
  edition: Edition,
  mailer: Mailer,
): Promise<{ written: number; skipped: number; byVariant: Record<string, number> }> {
  let written = 0;
  const byVariant: Record<string, number> = {};
  // Counts what the worker hands over (the mailer itself only writes); per variant below.
  const counting: Mailer = {
    async prepare(envelope) {
      const prepared = await mailer.prepare(envelope);
      return {
        async send(a) {
          const out = await prepared.send(a);
          written++;
          return out;
        },
      };
    },
  };

  // In memory: records (so a person in two audiences is built once, as in a real send) and counters.
  const records = new Map<string, SendRecord>();
  const memoryRecords: SendRecords = {
    async claim(editionId, subscriberId, audience, at) {
      if (records.has(subscriberId)) return false;
      records.set(subscriberId, { editionId, subscriberId, audience, status: 'claimed', claimedAt: at });
      return true;
    },
    overlap: async () => true,
    get: async (_e, ids) =>
      new Map(ids.flatMap((id) => (records.has(id) ? [[id, records.get(id) as SendRecord]] : []))),
    reclaim: async () => true,
    async mark(_e, id, status) {
      const r = records.get(id);
      if (r) records.set(id, { ...r, status });
      return true;
    },
    release: async () => {},
  };
  let skipped = 0;
  const memoryProgress: ProgressStore = {
    add: async (_id, delta) => {
      skipped += delta.skipped ?? 0;
    },
    step: async () => true,
    read: async () => EMPTY_PROGRESS,
    note: async () => {},
  };
  const dispatchQueue: DispatchMessage[] = [];
  const batches: SendBatchMessage[] = [];
  const collect = <T>(into: T[]): Queue<T> => ({ send: async (m) => void into.push(...m) });

  // Both steps read the edition by id: they get this one, as if it were sending.
  const asIfSending = { ...edition, status: 'sending' as const };
  const editions = Object.assign(Object.create(deps.worker.editions.editions) as EditionRepository, {
    get: async () => asIfSending,
  });
  const dispatch: DispatchDeps = {
    ...deps.dispatch,
    editions,
    progress: memoryProgress,
    queues: { dispatch: collect(dispatchQueue), send: collect(batches), crisis: collect(batches) },
  };
  const worker: WorkerDeps = {
    ...deps.worker,
    editions: { ...deps.worker.editions, editions },
    mailer: counting,
    caches: newWorkerCaches(),
    records: memoryRecords,
    progress: memoryProgress,
    ledger: { accepted: async () => undefined },
    quota: { quota: async () => ({ maxSendRate: 1_000_000, max24HourSend: 0, sentLast24Hours: 0 }) },
    governor: new RateGovernor(1_000_000),
    workerShare: 1,
  };

  dispatchQueue.push(...firstSteps(edition, deps.dispatch.broadcastSegments));
  while (dispatchQueue.length > 0 || batches.length > 0) {
    const step = dispatchQueue.shift();
    if (step) await dispatchStep(dispatch, step);
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      // Per variant: what this batch (one variant's) had written.
      const before = written;
      await processBatch(worker, batch);
      const key = `${batch.audience}/${batch.language}`;
      if (written > before) byVariant[key] = (byVariant[key] ?? 0) + written - before;
    }
  }
  return { written, skipped, byVariant };
}
