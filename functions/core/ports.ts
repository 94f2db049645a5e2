import type { Post } from './model';

/**
 * What the domain needs from the outside world. Adapters (DynamoDB, SES, the clock)
 * implement these and are passed in by the composition root; tests pass fakes or
 * adapters over real local servers.
 */

export interface Page<T> {
  readonly items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly cursor?: string;
}

export interface PageRequest {
  readonly limit?: number;
  /** Undefined for the first page (paging loops pass the last page's cursor as it is). */
  readonly cursor?: string | undefined;
}

export interface PostRepository {
  list(): Promise<Post[]>;
  get(code: string): Promise<Post | undefined>;
  /** Creates or replaces a post and its audiences. */
  put(post: Post): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A dependency the health route reports on. */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<void>;
}
