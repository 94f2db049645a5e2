import type { Post } from '../core/model';
import type { AudienceDirectory, AudienceFacts } from './ports';

/** How long an audience's facts are trusted in a warm function: a post rarely changes them. */
const TTL_MS = 5 * 60_000;

/**
 * The audience facts engagement needs (kind, aggregate-only), read through the post
 * once per post per few minutes: a batch of events costs no read per event.
 */
export function audienceDirectory(
  posts: { get(code: string): Promise<Post | undefined> },
  now: () => number = Date.now,
): AudienceDirectory {
  const cache = new Map<string, { at: number; post: Promise<Post | undefined> }>();
  return {
    async audience(code, audience): Promise<AudienceFacts | undefined> {
      let hit = cache.get(code);
      if (!hit || now() - hit.at > TTL_MS) {
        hit = { at: now(), post: posts.get(code) };
        cache.set(code, hit);
        hit.post.catch(() => cache.delete(code));
      }
      const a = (await hit.post)?.audiences.find((x) => x.id === audience);
      return a ? { kind: a.kind, aggregateOnly: a.aggregateOnly === true } : undefined;
    },
  };
}
