import type { Post } from '../core/model';
import type { PageRequest } from '../core/ports';
import type { Edition, EditionSummary, RenderedVariant, Variant, VariantLinks } from './model';

/** The editions module's ports: the store of editions and their renders, and the renderer. */
export interface EditionRepository {
  /** ConflictError if the id exists. */
  create(edition: Edition): Promise<void>;
  get(id: string): Promise<Edition | undefined>;
  /** Writes the edition if its stored version is still `expectedVersion`; ConflictError otherwise. */
  save(edition: Edition, expectedVersion: number): Promise<void>;
  listByPost(post: string, page?: PageRequest): Promise<{ items: EditionSummary[]; cursor?: string }>;
  /** Scheduled editions due at or before `now`. */
  due(now: string): Promise<string[]>;
  /** Editions now sending. */
  sending(): Promise<string[]>;
  /**
   * The editions that, when last saved, put one of these central items in their own
   * words (editions/wording.ts), each id once; an index, so a caller checks the edition.
   */
  rewording(itemIds: readonly string[]): Promise<string[]>;
  putRender(editionId: string, render: RenderedVariant): Promise<void>;
  getRender(editionId: string, audience: string, language: string): Promise<RenderedVariant | undefined>;
  /** A variant's link targets and their stories, without the render (what a click needs). */
  getLinks(editionId: string, audience: string, language: string): Promise<VariantLinks | undefined>;
}

export interface Renderer {
  /** Renders one variant (MJML, once); RenderError naming the block when it cannot. */
  render(post: Post, edition: Edition, variant: Variant): Promise<RenderedVariant>;
}
