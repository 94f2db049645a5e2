import type { AppContext } from '../app';
import { visiblePosts } from '../core/access';
import { NotFoundError } from '../core/errors';
import { json, pathParam } from '../http/api';
import { type RequestHandler, staffCaller } from '../http/pipeline';
import { ROUTES_BY_KEY } from '../http/routes';
import { lambdaHttpEntry } from './entry';

/** GET /posts (only the posts the caller works for) and GET /posts/{code}. */
export const makePostsHandler =
  (ctx: AppContext): RequestHandler =>
  async (event, caller) => {
    if (event.routeKey === 'GET /posts/{code}') {
      const code = pathParam(event, 'code');
      const post = await ctx.repos.posts.get(code);
      if (!post) throw new NotFoundError(`no post "${code}"`);
      return json(200, { post });
    }
    const rule = ROUTES_BY_KEY.get(event.routeKey)?.access;
    const visible =
      rule?.kind === 'staff' ? visiblePosts(staffCaller(caller), rule.roles) : new Set<string>();
    const posts = (await ctx.repos.posts.list())
      .filter((p) => visible === 'all' || visible.has(p.code))
      .sort((a, b) => a.code.localeCompare(b.code));
    return json(200, { posts });
  };

export const handler = lambdaHttpEntry(makePostsHandler);
