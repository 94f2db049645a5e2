/**
 * Keeps the sends of one process at or under its share of the SES account's
 * MaxSendRate (token bucket of one token: evenly spaced sends, no burst). Workers on AWS
 * have reserved concurrency C and each takes rate/C, so together they stay under
 * the account's rate; locally one bucket serves every consumer.
 */
export class RateGovernor {
  /** When the next send may start (the clock's ms): sends follow a grid of evenly spaced slots. */
  private nextSlot: number;
  private chain: Promise<void> = Promise.resolve();

  private ratePerSecond: number;

  constructor(
    rate: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.ratePerSecond = RateGovernor.effective(rate);
    this.nextSlot = now();
  }

  /**
   * A little under the limit, with no burst: over any one-second window fewer than
   * `rate` sends start, even when a late start is followed by an on-time one and the
   * requests reach SES a few milliseconds closer than they started (bench:send at
   * R = 200 saw Throttling with a margin of one message per second).
   */
  private static effective(rate: number): number {
    return rate >= 2 ? rate * 0.985 - 1 : Math.max(0.1, rate * 0.9);
  }

  get rate(): number {
    return this.ratePerSecond;
  }

  setRate(ratePerSecond: number): void {
    this.ratePerSecond = RateGovernor.effective(ratePerSecond);
  }

  /** Resolves when one send may start. Calls are served in order. */
  acquire(): Promise<void> {
    const turn = this.chain.then(() => this.take());
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Slots are planned from the previous slot, not from when a timer happened to fire:
   * a wake-up a few milliseconds late (timers, a busy event loop) no longer costs its
   * delay on every send (bench:send lost 5-15% of R that way). A caller late by more
   * than one slot starts a new grid from now: lost time is never made up in a burst.
   */
  private async take(): Promise<void> {
    const interval = 1000 / this.ratePerSecond;
    const t = this.now();
    if (this.nextSlot < t - interval) this.nextSlot = t;
    const slot = this.nextSlot;
    this.nextSlot = slot + interval;
    if (slot > t) await this.sleep(slot - t);
  }
}

/** Exponential backoff with full jitter: 50 ms, 100 ms, ... up to 5 s. */
export const backoffMs = (attempt: number, random: () => number = Math.random) =>
  Math.floor(random() * Math.min(5000, 50 * 2 ** attempt));

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'MaxSendingRateExceeded',
  'TooManyRequestsException',
]);

/** SES said "too fast": the message was not accepted; waiting and retrying is safe. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; message?: string } | undefined;
  return (
    THROTTLING.has(e?.name ?? '') ||
    THROTTLING.has(e?.Code ?? '') ||
    /Maximum sending rate exceeded/i.test(e?.message ?? '')
  );
}

/** SES refused this message for good (bad address, unverified sender): retrying will not help. */
export function isRejected(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return ['MessageRejected', 'MailFromDomainNotVerifiedException', 'InvalidParameterValue'].includes(name);
}

/** The daily quota is used up: sending resumes when the 24-hour window frees. */
export function isDailyQuotaExceeded(error: unknown): boolean {
  return /Daily message quota exceeded/i.test((error as { message?: string } | undefined)?.message ?? '');
}
