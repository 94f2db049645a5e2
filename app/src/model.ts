import type { ContentItem as StoredItem } from '../../functions/content/content';

/** GET /content answers items with the story each belongs to (one id across languages). */
export type ContentItem = StoredItem & { readonly story?: string };

export interface Audience {
  readonly id: string;
  readonly name: string;
}
/** A post as GET /posts and GET /posts/{code} answer it. */
export interface Post {
  readonly code: string;
  readonly name: string;
  readonly languages: readonly string[];
  readonly audiences: readonly Audience[];
}
