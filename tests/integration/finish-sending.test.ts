import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSettledSends } from '../../functions/adapters/dynamodb/settled-sends';
import type { AppContext } from '../../functions/app';
import { silentLogger } from '../../functions/core/log';
import type { Edition } from '../../functions/editions/model';
import { type FinishDeps, finishIfDone, runScheduler } from '../../functions/sending/consume';
import { startDynalite } from '../helpers/dynalite';
import { post } from '../helpers/fixtures';

/**
 * The stall rule: counters that stopped short do not make an edition "sent"; its
 * send records do, once every queued recipient has a settled one.
 */
let db: Awaited<ReturnType<typeof startDynalite>>;
let ctx: AppContext;
beforeAll(async () => {
  db = await startDynalite();
  ctx = db.ctx;
  // Its editions' post: sending renders each variant before queueing it (the worker only reads renders).
  await ctx.repos.posts.put(post('tokyo'));
});
afterAll(async () => db?.stop());

let n = 0;
async function sendingEdition(): Promise<Edition> {
  const at = new Date().toISOString();
  const edition: Edition = {
    id: `ed-finish-${++n}`,
    post: 'tokyo',
    title: 'Stalled',
    status: 'sending',
    sensitive: false,
    author: 'editor',
    createdAt: at,
    updatedAt: at,
    version: 3,
    revision: 1,
    variants: [
      {
        audience: 'economic',
        language: 'en',
        subject: 'News',
        preheader: '',
        intro: '',
        blocks: [{ type: 'local', title: 'T', text: 'Text' }],
      },
    ],
  };
  await ctx.repos.editions.create(edition);
  return edition;
}

/** Dispatch queued `queued` entries; `counted` of them were counted as sent before the counters stopped. */
async function progressOf(id: string, queued: number, counted: number) {
  const progress = ctx.sending.dispatch.progress;
  await progress.step(id, 'v:0:start', queued, 0);
  await progress.add(id, { dispatchPending: 1 });
  await progress.add(id, { dispatchPending: -1 });
  if (counted) await progress.add(id, { sent: counted });
}

const HOUR = 3_600_000;
const deps = (over: Partial<FinishDeps> = {}): FinishDeps => ({
  editions: ctx.repos.editions,
  progress: ctx.sending.dispatch.progress,
  // An hour on: the counters have not moved since the records below were written.
  clock: { now: () => new Date(Date.now() + HOUR) },
  settled: new DynamoSettledSends(ctx.dynamo.doc, ctx.settings.tables.sends),
  audit: ctx.audit,
  log: silentLogger,
  ...over,
});

describe('finishing a send (the stall rule)', () => {
  it('does not finish a send whose first steps are not dispatched yet', async () => {
    const edition = await sendingEdition();
    const progress = ctx.sending.dispatch.progress;
    const now = deps({ clock: { now: () => new Date() } });
    // Saved as "sending", nothing recorded yet: 0 pending and 0 remaining is not "done".
    expect(await finishIfDone(now, edition.id)).toBe(false);
    // The START carries its pending steps in the same write.
    await progress.step(edition.id, 'START', 0, 0, 1);
    expect((await progress.read(edition.id)).dispatchPending).toBe(1);
    expect(await finishIfDone(now, edition.id)).toBe(false);
    expect((await ctx.repos.editions.get(edition.id))?.status).toBe('sending');
    // Its one step dispatches nobody (an empty list): now it is over.
    await progress.step(edition.id, 'v:0:start', 0, 0);
    await progress.add(edition.id, { dispatchPending: -1 });
    expect(await finishIfDone(now, edition.id)).toBe(true);
  });

  it('keeps a stalled edition sending while a queued recipient is unsettled, and says why', async () => {
    const edition = await sendingEdition();
    const records = ctx.sending.worker.records;
    const at = new Date().toISOString();
    await progressOf(edition.id, 4, 1);
    await records.claim(edition.id, 'sub-a', 'economic', at);
    await records.mark(edition.id, 'sub-a', 'sent', { messageId: 'm-a' });
    // sent, but its count was lost in a crash
    await records.claim(edition.id, 'sub-c', 'economic', at);
    await records.mark(edition.id, 'sub-c', 'sent', { messageId: 'm-c' });
    await records.overlap(edition.id, 'sub-c', 'cultural');
    // claimed before a crash, outcome unknown: its queue message will come back
    await records.claim(edition.id, 'sub-b', 'economic', at);

    expect(await finishIfDone(deps(), edition.id, 60_000)).toBe(false);
    expect((await ctx.repos.editions.get(edition.id))?.status).toBe('sending');
    expect((await ctx.sending.dispatch.progress.read(edition.id)).note).toBe(
      'waiting: 1 of 4 recipients are not settled yet; their queued messages will be delivered again',
    );

    await records.mark(edition.id, 'sub-b', 'skipped', { reason: 'unsubscribed' });
    expect(await finishIfDone(deps(), edition.id, 60_000)).toBe(true);
    const sent = await ctx.repos.editions.get(edition.id);
    expect(sent?.status).toBe('sent');
    expect(sent?.version).toBe(edition.version + 1);
    // The counters that fell short are set from the records: 2 sent, 1 skipped, 1 overlap, none left.
    const final = await ctx.sending.dispatch.progress.read(edition.id);
    expect(final).toMatchObject({ queued: 4, sent: 2, skipped: 1, overlaps: 1 });
    expect(final.queued - final.sent - final.skipped - final.failed - final.overlaps).toBe(0);
    const trail = (await ctx.audit.list('tokyo')).items.find(
      (e) => e.action === 'edition.sent' && e.target.id === edition.id,
    );
    expect(trail?.detail).toMatchObject({ sent: 2, skipped: 1 });
  });

  it('keeps it sending when a queued recipient has no record at all', async () => {
    const edition = await sendingEdition();
    await progressOf(edition.id, 2, 1);
    const records = ctx.sending.worker.records;
    await records.claim(edition.id, 'sub-a', 'economic', new Date().toISOString());
    await records.mark(edition.id, 'sub-a', 'sent', { messageId: 'm-a' });
    expect(await finishIfDone(deps(), edition.id, 60_000)).toBe(false);
    expect((await ctx.repos.editions.get(edition.id))?.status).toBe('sending');
  });

  it('finishes at once when the counters add up, without waiting for a stall', async () => {
    const edition = await sendingEdition();
    await progressOf(edition.id, 2, 2);
    expect(await finishIfDone(deps({ clock: { now: () => new Date() } }), edition.id)).toBe(true);
    expect((await ctx.repos.editions.get(edition.id))?.status).toBe('sent');
  });

  it('counts the records of a stalled edition at most once per stall window', async () => {
    const edition = await sendingEdition();
    await progressOf(edition.id, 1, 0);
    let counted = 0;
    const settled = {
      settled: async () => {
        counted++;
        return { sent: 0, skipped: 0, failed: 0, overlaps: 0 };
      },
    };
    const checks = deps({ settled, recordChecks: new Map() });
    expect(await finishIfDone(checks, edition.id, 60_000)).toBe(false);
    expect(await finishIfDone(checks, edition.id, 60_000)).toBe(false);
    expect(counted).toBe(1);
  });

  it('leaves an edition that is no longer sending as it is', async () => {
    const edition = await sendingEdition();
    await progressOf(edition.id, 1, 1);
    await ctx.repos.editions.save({ ...edition, status: 'sent', version: 4 }, 3);
    expect(await finishIfDone(deps(), edition.id, 60_000)).toBe(false);
  });
});

describe('an edition left sending with nothing dispatched (a crash right after its status was saved)', () => {
  it('gets its first dispatch steps queued again after the stall window, their pending count added once', async () => {
    const edition = await sendingEdition();
    const queued: unknown[] = [];
    const deps = {
      ...ctx.sending.scheduler,
      log: silentLogger,
      stallMs: 60_000,
      queues: {
        ...ctx.sending.queues,
        dispatch: { send: async (m: readonly unknown[]) => void queued.push(...m) },
      },
    };
    // Within the window: it may still be starting; nothing is done.
    await runScheduler(deps, new Date());
    expect(queued).toEqual([]);
    expect((await ctx.repos.editions.get(edition.id))?.status).toBe('sending');
    // An hour on: its first step is queued again, and it is not called sent with nobody mailed.
    const later = new Date(Date.now() + HOUR);
    await runScheduler({ ...deps, clock: { now: () => later } }, later);
    expect(queued).toEqual([{ kind: 'dispatch', editionId: edition.id, variant: 0, priority: 'normal' }]);
    const p = await ctx.sending.dispatch.progress.read(edition.id);
    expect(p.dispatchPending).toBe(1);
    await runScheduler({ ...deps, clock: { now: () => later } }, later);
    expect((await ctx.sending.dispatch.progress.read(edition.id)).dispatchPending).toBe(1);
    expect((await ctx.repos.editions.get(edition.id))?.status).toBe('sending');
  });
});
