import type { ContentKind, ContentItem as StoredItem } from '../../functions/content/content';

/** The kinds of central content, as the API names them (the type keeps them in step). */
export const CONTENT_KINDS = ['article', 'event', 'famous-belgian'] as const satisfies readonly ContentKind[];

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
