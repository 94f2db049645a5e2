import type { Post } from '../core/model';
import { cachedPromise } from '../core/promise-cache';
import type { AudienceDirectory, AudienceFacts, VariantStories } from './ports';

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

/**
 * The stories of each variant, read once per variant per warm function from its small
 * links item (an edition's variants do not change once it is sent).
 */
export function variantStories(editions: {
  getLinks(
    editionId: string,
    audience: string,
    language: string,
  ): Promise<{ readonly linkItems: readonly (string | null)[] } | undefined>;
}): VariantStories {
  const cache = new Map<string, Promise<readonly string[]>>();
  return {
    of: (editionId, audience, language) =>
      cachedPromise(cache, `${editionId}#${audience}#${language}`, () =>
        editions
          .getLinks(editionId, audience, language)
          .then((l) => [...new Set((l?.linkItems ?? []).filter((i): i is string => !!i))]),
      ),
  };
}
