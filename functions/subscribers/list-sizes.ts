import type { Language, Post } from '../core/model';
import type { SubscriberRepository } from './ports';

/** One list a variant is sent to: a post audience in one language, and its confirmed members. */
export interface ListSize {
  readonly audience: string;
  readonly audienceName: string;
  readonly language: Language;
  readonly confirmed: number;
}

/**
 * A post's lists: confirmed subscribers per audience × language, counted by the store
 * (one count per list, no person read), in the post's order of audiences and languages.
 */
export async function listSizes(
  subscribers: Pick<SubscriberRepository, 'countMembers'>,
  post: Pick<Post, 'code' | 'audiences' | 'languages'>,
): Promise<ListSize[]> {
  const lists = post.audiences.flatMap((a) => post.languages.map((language) => ({ a, language })));
  const counts = await Promise.all(
    lists.map(({ a, language }) => subscribers.countMembers(post.code, a.id, language)),
  );
  return lists.map(({ a, language }, i) => ({
    audience: a.id,
    audienceName: a.name,
    language,
    confirmed: counts[i] ?? 0,
  }));
}
