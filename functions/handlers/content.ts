import { FEEDS } from '../app';
import { CONTENT_KINDS, type ContentItem, storyOf } from '../content/content';
import { syncAll } from '../content/sync';
import { NotFoundError, ValidationError } from '../core/errors';
import { LANGUAGES } from '../core/model';
import { wordingChanges } from '../editions/wording';
import { json, pathParam } from '../http/api';
import { type OperationsOf, serveOperations } from '../http/operations';
import { assertOrdered, oneOf, pageRequest } from '../http/query';
import { lambdaHttpEntry } from './entry';

const isoDay = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

function dateParam(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isoDay.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ValidationError(`${name} must be a date like 2026-11-25`);
  }
  return value;
}

/** An item with its story (one id across languages), which edition blocks can name. */
function withStory(item: ContentItem): ContentItem & { story?: string } {
  const story = storyOf(item.sourceId, item.language);
  return story ? { ...item, story } : item;
}

/**
 * GET  /content?lang=fr&kind=event&from=&to=&q=&limit=&cursor=   composers' search, newest first
 * GET  /content/{id}
 * GET  /content/{id}/wording                                      posts' own wording of it (HQ)
 * POST /content/sync                                              pull every feed now
 */
export const contentOperations: OperationsOf<'content'> = {
  syncContent: async ({ ctx }) =>
    json(200, { sources: await syncAll(ctx.content, ctx.settings.contentFeeds) }),
  getContent: async ({ ctx, event }) => {
    const id = pathParam(event, 'id');
    const item = await ctx.content.content.get(id);
    if (!item) throw new NotFoundError(`no content item "${id}"`);
    return json(200, { item: withStory(item) });
  },
  contentWording: async ({ ctx, event }) =>
    json(
      200,
      await wordingChanges(
        { content: ctx.content.content, editions: ctx.repos.editions },
        pathParam(event, 'id'),
      ),
    ),
  searchContent: async ({ ctx, event }) => {
    const q = event.queryStringParameters ?? {};
    const language = oneOf(event, 'lang', LANGUAGES);
    if (!language) throw new ValidationError(`lang is required: one of ${LANGUAGES.join(', ')}`);
    const kind = oneOf(event, 'kind', CONTENT_KINDS);
    const from = dateParam(q.from, 'from');
    const to = dateParam(q.to, 'to');
    assertOrdered(from, to);
    if (q.q !== undefined && q.q.length > 100) throw new ValidationError('q must be at most 100 characters');
    const page = await ctx.content.content.query({
      language,
      ...(kind ? { kind } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(q.q ? { text: q.q } : {}),
      ...pageRequest(event),
    });
    return json(200, { ...page, items: page.items.map(withStory) });
  },
};

export const makeContentHandler = serveOperations('content', contentOperations);

export const handler = lambdaHttpEntry(makeContentHandler, FEEDS);
