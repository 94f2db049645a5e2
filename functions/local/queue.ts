import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/log';
import type { Queue } from '../sending/ports';

/**
 * An in-process queue with SQS's semantics: at-least-once delivery, a visibility
 * timeout (a message taken and not acknowledged comes back), partial batch failures,
 * and a dead-letter list after `maxReceives` deliveries, with the reason.
 */
interface Entry<T> {
  readonly id: string;
  readonly body: T;
  receives: number;
  visibleAt: number;
}

export class LocalQueue<T> implements Queue<T> {
  private entries: Entry<T>[] = [];
  readonly deadLetters: { body: T; reason: string; receives: number }[] = [];

  constructor(
    readonly name: string,
    private readonly visibilityTimeoutMs: number,
    private readonly maxReceives: number,
  ) {}

  async send(messages: readonly T[]): Promise<void> {
    for (const body of messages) this.entries.push({ id: randomUUID(), body, receives: 0, visibleAt: 0 });
  }

  /** Takes up to `max` visible messages; they stay hidden for the visibility timeout. */
  receive(max: number, now = Date.now()): { id: string; body: T; receives: number }[] {
    const out: { id: string; body: T; receives: number }[] = [];
    for (const e of this.entries) {
      if (out.length >= max) break;
      if (e.visibleAt > now) continue;
      e.receives++;
      e.visibleAt = now + this.visibilityTimeoutMs;
      out.push({ id: e.id, body: e.body, receives: e.receives });
    }
    return out;
  }

  ack(id: string): void {
    this.entries = this.entries.filter((e) => e.id !== id);
  }

  /** A failed delivery: visible again after the timeout, or dead-lettered after too many. */
  fail(id: string, reason: string): void {
    const e = this.entries.find((x) => x.id === id);
    if (!e) return;
    if (e.receives >= this.maxReceives) {
      this.entries = this.entries.filter((x) => x !== e);
      this.deadLetters.push({ body: e.body, reason, receives: e.receives });
    }
  }

  /** Messages not yet acknowledged (visible or in flight). */
  get depth(): number {
    return this.entries.length;
  }
}

export type BatchHandler<T> = (
  messages: { id: string; body: T }[],
) => Promise<{ failures: { id: string; reason: string }[] }>;

/**
 * Polls queues in priority order (the first is drained before the next is read) and
 * hands batches to the handler, like Lambda's SQS event source with
 * ReportBatchItemFailures. `concurrency` batches run at once.
 */
export function startConsumer<T>(
  queues: readonly LocalQueue<T>[],
  handler: BatchHandler<T>,
  options: { batchSize: number; concurrency: number; pollMs: number; log: Logger },
): { stop: () => Promise<void>; idle: () => boolean } {
  let running = true;
  let busy = 0;
  const loops: Promise<void>[] = [];
  for (let c = 0; c < options.concurrency; c++) {
    loops.push(
      (async () => {
        while (running) {
          let taken: { id: string; body: T; receives: number }[] = [];
          let from: LocalQueue<T> | undefined;
          for (const q of queues) {
            taken = q.receive(options.batchSize);
            if (taken.length) {
              from = q;
              break;
            }
          }
          if (!from) {
            await new Promise((r) => setTimeout(r, options.pollMs));
            continue;
          }
          busy++;
          try {
            const { failures } = await handler(taken);
            const failed = new Map(failures.map((f) => [f.id, f.reason]));
            for (const m of taken) {
              const reason = failed.get(m.id);
              if (reason === undefined) from.ack(m.id);
              else from.fail(m.id, reason);
            }
          } catch (error) {
            // A crashed invocation: nothing is acknowledged; every message comes back.
            const reason = (error as Error).message;
            options.log.warn('local consumer invocation failed', { queue: from.name, reason });
            for (const m of taken) from.fail(m.id, reason);
          } finally {
            busy--;
          }
        }
      })(),
    );
  }
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
    idle: () => busy === 0 && queues.every((q) => q.depth === 0),
  };
}
