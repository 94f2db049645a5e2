import { createHash } from 'node:crypto';
import type { Language } from '../core/model';

/**
 * Stories: one piece of central content in every language it is published in. The
 * feeds give each language's item its own guid (focus-bruegel-fr, focus-bruegel-nl,
 * focus-bruegel-en) or link (https://site/fr/bruegel); a story is that guid (or link,
 * when the item has none) with the language code written {lang}: focus-bruegel-{lang},
 * https://site/{lang}/bruegel. An edition block that names a story takes, in each
 * variant, the item of the variant's language. Kept apart from content.ts (no parser,
 * no sanitiser), since editions resolve stories on every write.
 */

/** A content item's id: its language and a digest of the feed's guid (or link). */
export const contentId = (language: Language, sourceId: string): string =>
  `${language}-${createHash('sha256').update(sourceId).digest('base64url').slice(0, 22)}`;

const LANG = '{lang}';
/** A story id: printable, without spaces, with {lang} once. */
export const STORY_PATTERN = /^[^\s{}]*\{lang\}[^\s{}]*$/;

/** The language code as a whole segment of the id: between start/end and / - _ . ? = & # : */
const segment = (language: Language) => new RegExp(`(^|[/\\-_.?=&#:])${language}(?=$|[/\\-_.?=&#:])`, 'g');

/**
 * The story an item belongs to, from its guid (or link): the last whole-segment
 * occurrence of its language code becomes {lang}; in a URL only the path and query are
 * looked at (a host like belgium.de is not a language). Undefined when the id does not
 * name its language: that item is a story of one language, named by its item id.
 */
export function storyOf(sourceId: string, language: Language): string | undefined {
  if (sourceId.includes('{') || sourceId.includes('}') || /\s/.test(sourceId)) return undefined;
  const host = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(sourceId)?.[0].length ?? 0;
  let last: RegExpExecArray | undefined;
  const pattern = segment(language);
  for (let m = pattern.exec(sourceId); m; m = pattern.exec(sourceId)) {
    if (m.index >= host) last = m;
  }
  if (!last) return undefined;
  const at = last.index + (last[1] ?? '').length;
  return `${sourceId.slice(0, at)}${LANG}${sourceId.slice(at + language.length)}`;
}

/** The id of a story's item in one language (that item may not exist: rendering says so). */
export const storyItemId = (story: string, language: Language): string =>
  contentId(language, story.replace(LANG, language));
