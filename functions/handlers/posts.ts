import type { AppContext } from '../app';
import { NotFoundError } from '../core/errors';
import { type ApiHandler, json, pathParam } from '../http/api';
import { lambdaHttpEntry } from './entry';

/** GET /posts and GET /posts/{code}. */
export const makePostsHandler =
  (ctx: AppContext): ApiHandler =>
  async (event) => {
    if (event.routeKey === 'GET /posts/{code}') {
      const code = pathParam(event, 'code');
      const post = await ctx.repos.posts.get(code);
      if (!post) throw new NotFoundError(`no post "${code}"`);
      return json(200, { post });
    }
    const posts = await ctx.repos.posts.list();
    posts.sort((a, b) => a.code.localeCompare(b.code));
    return json(200, { posts });
  };

export const handler = lambdaHttpEntry(makePostsHandler);
