import { ClassicLevel } from 'classic-level';
import { ConfigError } from '../core/errors';
import type { Logger } from '../core/log';
import type { Queue } from '../sending/ports';

/**
 * An in-process queue with SQS's semantics: at-least-once delivery, a visibility
 * timeout (a message taken and not acknowledged comes back), partial batch failures,
 * and a dead-letter list after `maxReceives` deliveries, with the reason.
 *
 * Given a folder, the queue is kept there in LevelDB: a message is written (with
 * fsync) before `send` returns and deleted when acknowledged, so a stack killed
 * mid-send finds its unacknowledged messages on restart. They are visible at once
 * (whoever had them in flight is gone) and their receive counts start again.
 */
interface Entry<T> {
  readonly id: string;
  readonly body: T;
  receives: number;
  visibleAt: number;
}

export interface DeadLetter<T> {
  readonly body: T;
  readonly reason: string;
  readonly receives: number;
}

export interface LocalQueueOptions {
  readonly visibilityTimeoutMs: number;
  readonly maxReceives: number;
  /** Where the queue is kept (a LevelDB folder); in memory without one. */
  readonly dir?: string;
}

/** What is stored: a message under m:<seq>, a dead letter under d:<seq>. */
type Stored = { readonly body: unknown; readonly reason?: string; readonly receives?: number };
const MESSAGE = 'm:';
const DEAD = 'd:';
const WRITE = { sync: true } as const;

export class LocalQueue<T> implements Queue<T> {
  private readonly entries = new Map<string, Entry<T>>();
  readonly deadLetters: DeadLetter<T>[] = [];
  private seq = 0;

  private constructor(
    readonly name: string,
    private readonly options: LocalQueueOptions,
    private readonly store: ClassicLevel<string, Stored> | undefined,
  ) {}

  /** Opens the queue, with the messages and dead letters kept in `options.dir` if any. */
  static async open<T>(name: string, options: LocalQueueOptions): Promise<LocalQueue<T>> {
    if (!options.dir) return new LocalQueue<T>(name, options, undefined);
    const store = new ClassicLevel<string, Stored>(options.dir, { valueEncoding: 'json' });
    const queue = new LocalQueue<T>(name, options, store);
    try {
      await store.open();
      for await (const [key, value] of store.iterator()) {
        const id = key.slice(MESSAGE.length);
        queue.seq = Math.max(queue.seq, Number(id));
        // Written by this queue only, from messages of type T.
        const body = value.body as T;
        if (key.startsWith(DEAD)) {
          queue.deadLetters.push({ body, reason: value.reason ?? '', receives: value.receives ?? 0 });
        } else {
          queue.entries.set(id, { id, body, receives: 0, visibleAt: 0 });
        }
      }
    } catch (error) {
      await store.close().catch(() => undefined);
      throw new ConfigError(
        `the local ${name} queue in ${options.dir} cannot be read: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    return queue;
  }

  /** Zero-padded, so LevelDB's key order is the order of sending. */
  private nextId(): string {
    this.seq++;
    return String(this.seq).padStart(16, '0');
  }

  async send(messages: readonly T[]): Promise<void> {
    const added = messages.map((body) => ({ id: this.nextId(), body, receives: 0, visibleAt: 0 }));
    // Durable before it is visible: a message that `send` accepted survives a crash.
    await this.store?.batch(
      added.map((e) => ({ type: 'put', key: MESSAGE + e.id, value: { body: e.body } })),
      WRITE,
    );
    for (const e of added) this.entries.set(e.id, e);
  }

  /** Takes up to `max` visible messages; they stay hidden for the visibility timeout. */
  receive(max: number, now = Date.now()): { id: string; body: T; receives: number }[] {
    const out: { id: string; body: T; receives: number }[] = [];
    for (const e of this.entries.values()) {
      if (out.length >= max) break;
      if (e.visibleAt > now) continue;
      e.receives++;
      e.visibleAt = now + this.options.visibilityTimeoutMs;
      out.push({ id: e.id, body: e.body, receives: e.receives });
    }
    return out;
  }

  async ack(id: string): Promise<void> {
    await this.store?.del(MESSAGE + id, WRITE);
    this.entries.delete(id);
  }

  /** A failed delivery: visible again after the timeout, or dead-lettered after too many. */
  async fail(id: string, reason: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e || e.receives < this.options.maxReceives) return;
    const dead = { body: e.body, reason, receives: e.receives };
    await this.store?.batch(
      [
        { type: 'del', key: MESSAGE + id },
        { type: 'put', key: DEAD + id, value: dead },
      ],
      WRITE,
    );
    this.entries.delete(id);
    this.deadLetters.push(dead);
  }

  /** Messages not yet acknowledged (visible or in flight). */
  get depth(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    await this.store?.close();
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
  options: {
    batchSize: number;
    concurrency: number;
    pollMs: number;
    log: Logger;
    /** Like Lambda's batching window: a short batch waits this long to fill before it is handled. */
    batchWindowMs?: number;
  },
): { stop: () => Promise<void>; idle: () => boolean } {
  let running = true;
  let busy = 0;
  const loops: Promise<void>[] = [];
  // An acknowledgement that could not be stored only means one more delivery (consumers are idempotent).
  const settle = (queue: LocalQueue<T>, done: Promise<void>) =>
    done.catch((error: unknown) =>
      options.log.warn('local queue could not record a delivery', {
        queue: queue.name,
        reason: (error as Error).message,
      }),
    );
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
          if (options.batchWindowMs && taken.length < options.batchSize) {
            await new Promise((r) => setTimeout(r, options.batchWindowMs));
            taken = [...taken, ...from.receive(options.batchSize - taken.length)];
          }
          busy++;
          try {
            const { failures } = await handler(taken);
            const failed = new Map(failures.map((f) => [f.id, f.reason]));
            for (const m of taken) {
              const reason = failed.get(m.id);
              await settle(from, reason === undefined ? from.ack(m.id) : from.fail(m.id, reason));
            }
          } catch (error) {
            // A crashed invocation: nothing is acknowledged; every message comes back.
            const reason = (error as Error).message;
            options.log.warn('local consumer invocation failed', { queue: from.name, reason });
            for (const m of taken) await settle(from, from.fail(m.id, reason));
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
