import { FeedError } from '../../content/content';
import { CONTENT_LIMITS } from '../../content/limits';
import type { FeedFetcher, FetchResult } from '../../content/ports';
import { decodeFeedBytes } from './decode';

export interface HttpFetcherOptions {
  readonly timeoutMs: number;
  /** Bodies over this size are refused (a feed is a few hundred kB at most). */
  readonly maxBytes: number;
}

export const DEFAULT_FETCH_OPTIONS: HttpFetcherOptions = {
  timeoutMs: 15_000,
  maxBytes: CONTENT_LIMITS.maxDocumentBytes,
};

/** Conditional GET (ETag / Last-Modified) with a timeout and a size limit. */
export function httpFeedFetcher(options: HttpFetcherOptions = DEFAULT_FETCH_OPTIONS): FeedFetcher {
  return {
    async fetch(url, validators): Promise<FetchResult> {
      let res: Response;
      try {
        res = await fetch(url, {
          headers: {
            accept:
              'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5',
            'user-agent': 'missive-content-sync/1.0',
            ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
            ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
          },
          redirect: 'follow',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') {
          throw new FeedError(`no answer within ${options.timeoutMs / 1000} s`);
        }
        throw new FeedError(`cannot fetch: ${e.cause?.code ?? e.message}`);
      }
      if (res.status === 304) return { status: 'not-modified' };
      if (!res.ok) {
        await res.body?.cancel();
        throw new FeedError(`HTTP ${res.status} ${res.statusText}`.trim());
      }
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > options.maxBytes) {
        await res.body?.cancel();
        throw new FeedError(`body of ${declared} bytes is over the ${options.maxBytes}-byte limit`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      try {
        for await (const chunk of res.body ?? []) {
          size += chunk.length;
          if (size > options.maxBytes) throw new FeedError(`body is over the ${options.maxBytes}-byte limit`);
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof FeedError) throw error;
        throw new FeedError(
          `the body could not be read: ${(error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message}`,
        );
      }
      const etag = res.headers.get('etag') ?? undefined;
      const lastModified = res.headers.get('last-modified') ?? undefined;
      return {
        status: 'ok',
        text: decodeFeedBytes(Buffer.concat(chunks), res.headers.get('content-type') ?? undefined),
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
      };
    },
  };
}
