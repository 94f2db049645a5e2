/**
 * Counters, one port for every tally: send progress (scope `EDITION#<id>`), and next
 * the engagement counters (opens, clicks, bounces per edition, post and month...).
 * An implementation may shard a scope over several items (DynamoDB: 16 shards, so
 * no single item takes every write at full sending rate); reading sums the shards.
 * Each scope has its own `lastChangeAt`: opens counted on an edition's engagement
 * scope never make its stalled send scope look alive.
 */
export interface CounterValues {
  readonly counts: Readonly<Record<string, number>>;
  /** When a counter of this scope last moved (ISO). */
  readonly lastChangeAt?: string;
}

export interface Counters {
  /** Adds the (non-zero) deltas to the scope's counters, in one write. */
  add(scope: string, deltas: Readonly<Record<string, number>>): Promise<void>;
  read(scope: string): Promise<CounterValues>;
}
