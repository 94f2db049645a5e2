/**
 * What one feed document may hold, for a sync and for `content import` alike. They keep
 * a hostile or broken feed from holding the process: the local stack serves its API in
 * the process that syncs, and a Lambda has a fixed time and memory.
 */
export const CONTENT_LIMITS = {
  /** The largest real feed seen is 1.6 MB (a podcast with 730 items); HQ's are ~100 kB. */
  maxDocumentBytes: 5 * 1024 * 1024,
  maxItems: 1000,
  /**
   * The sanitiser's parser keeps open elements in an array it shifts at the front: time
   * grows with depth × size (100,000 nested tags took 21 s). Real feeds nest 26 at most.
   */
  maxMarkupDepth: 64,
  /**
   * Characters in one field (title, summary, body, place); the largest real one is 18 kB.
   * With the depth bound, this keeps sanitising one item to a few tens of ms.
   */
  maxFieldChars: 100_000,
} as const;

/**
 * The longest title and summary an item has (longer ones are cut at a word); a post's
 * own wording of an item in an edition is held to the same lengths.
 */
export const CONTENT_TEXT_LIMITS = { title: 300, summary: 500 } as const;
