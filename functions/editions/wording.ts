import { diffWords } from 'diff';
import type { ContentItem } from '../content/content';
import type { ContentRepository } from '../content/ports';
import { storyItemId, storyOf } from '../content/story';
import { NotFoundError } from '../core/errors';
import { LANGUAGES, type Language } from '../core/model';
import { type CentralBlock, type EditionStatus, hasOwnWording } from './model';
import type { EditionRepository } from './ports';

/**
 * The on-the-record rule (PRODUCT.md): a post may put a central item in its own words
 * (a central or famous-Belgian block's `title`/`summary`), and HQ sees, per item, each
 * edition that did, with the difference from HQ's text word by word.
 */

/** A run of words: unchanged, added by the post, or HQ's removed by it. */
export interface WordChange {
  readonly text: string;
  readonly added?: true;
  readonly removed?: true;
}

export interface FieldDifference {
  readonly hq: string;
  readonly post: string;
  readonly changes: readonly WordChange[];
}

/** One wording of an item in one edition: the audiences of that language that show it. */
export interface WordingChange {
  readonly post: string;
  readonly edition: string;
  readonly editionTitle: string;
  readonly status: EditionStatus;
  readonly updatedAt: string;
  readonly language: Language;
  readonly audiences: readonly string[];
  readonly item: string;
  readonly title?: FieldDifference;
  readonly summary?: FieldDifference;
}

export interface WordingReport {
  readonly item: string;
  /** The story the item belongs to: the changes cover its item in every language. */
  readonly story?: string;
  readonly changes: readonly WordingChange[];
}

export interface WordingDeps {
  readonly content: Pick<ContentRepository, 'get'>;
  readonly editions: Pick<EditionRepository, 'get' | 'rewording'>;
}

/** Word-level changes from HQ's text to the post's (jsdiff: whitespace kept with the words). */
export function wordDifference(hq: string, post: string): FieldDifference {
  const changes = diffWords(hq, post).map((c) => ({
    text: c.value,
    ...(c.added ? { added: true as const } : {}),
    ...(c.removed ? { removed: true as const } : {}),
  }));
  return { hq, post, changes };
}

/**
 * Every edition that words the item (or its story, in every language) its own way,
 * most recently changed first. The store's index names the editions that did when
 * saved; each is read and checked again (an edition may have gone back to HQ's words).
 */
export async function wordingChanges(deps: WordingDeps, itemId: string): Promise<WordingReport> {
  const item = await deps.content.get(itemId);
  if (!item) throw new NotFoundError(`no content item "${itemId}"`);
  const story = storyOf(item.sourceId, item.language);
  const ids = new Set(story ? LANGUAGES.map((l) => storyItemId(story, l)) : [itemId]);
  const hqItems = new Map<string, Promise<ContentItem | undefined>>([[itemId, Promise.resolve(item)]]);
  const hqItem = (id: string) => {
    let found = hqItems.get(id);
    if (!found) {
      found = deps.content.get(id);
      hqItems.set(id, found);
    }
    return found;
  };

  const changes: WordingChange[] = [];
  for (const editionId of await deps.editions.rewording([...ids])) {
    const edition = await deps.editions.get(editionId);
    if (!edition) continue;
    const byWording = new Map<string, { block: CentralBlock; language: Language; audiences: string[] }>();
    for (const v of edition.variants) {
      for (const b of v.blocks) {
        if (!hasOwnWording(b) || !ids.has(b.item)) continue;
        const key = JSON.stringify([v.language, b.item, b.title, b.summary]);
        const seen = byWording.get(key);
        if (seen) seen.audiences.push(v.audience);
        else byWording.set(key, { block: b, language: v.language, audiences: [v.audience] });
      }
    }
    for (const { block, language, audiences } of byWording.values()) {
      const hq = await hqItem(block.item);
      // A field written as HQ has it (a composer starts from HQ's words) changes nothing.
      const title = block.title !== undefined && block.title !== hq?.title ? block.title : undefined;
      const summary =
        block.summary !== undefined && block.summary !== hq?.summary ? block.summary : undefined;
      if (title === undefined && summary === undefined) continue;
      changes.push({
        post: edition.post,
        edition: edition.id,
        editionTitle: edition.title,
        status: edition.status,
        updatedAt: edition.updatedAt,
        language,
        audiences,
        item: block.item,
        ...(title !== undefined ? { title: wordDifference(hq?.title ?? '', title) } : {}),
        ...(summary !== undefined ? { summary: wordDifference(hq?.summary ?? '', summary) } : {}),
      });
    }
  }
  changes.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.language.localeCompare(b.language));
  return { item: itemId, ...(story ? { story } : {}), changes };
}
