import type { Language } from '../core/model';
import type { Page, PageRequest } from '../core/ports';
import type { ContentItem, ContentKind } from './content';
import type { SourceReport } from './sync';

/** The content module's ports: the store of central items, and what fetches a feed. */
export interface SourceState {
  readonly language: Language;
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly lastSyncAt: string;
  readonly lastStatus: SourceReport['status'];
  readonly lastError?: string;
}

export type FetchResult =
  | { readonly status: 'not-modified' }
  | { readonly status: 'ok'; readonly text: string; readonly etag?: string; readonly lastModified?: string };

export interface FeedFetcher {
  /** FeedError with a one-line reason for HTTP errors, timeouts and oversize bodies. */
  fetch(url: string, validators: { etag?: string; lastModified?: string }): Promise<FetchResult>;
}

export interface ContentQuery extends PageRequest {
  readonly language: Language;
  readonly kind?: ContentKind;
  /** ISO dates, inclusive; on published date (event start for kind=event). */
  readonly from?: string;
  readonly to?: string;
  /** Words that must appear in the title (case-insensitive). */
  readonly text?: string;
}

export interface ContentRepository {
  /** Stored fingerprints and first-seen times of these ids. */
  existing(ids: readonly string[]): Promise<Map<string, { fingerprint: string; firstSeenAt: string }>>;
  putItems(items: readonly ContentItem[]): Promise<void>;
  get(id: string): Promise<ContentItem | undefined>;
  query(query: ContentQuery): Promise<Page<ContentItem>>;
  getSource(language: Language): Promise<SourceState | undefined>;
  putSource(state: SourceState): Promise<void>;
}
