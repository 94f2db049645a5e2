import { visiblePosts } from '../core/access';
import { NotFoundError } from '../core/errors';
import { json, pathParam } from '../http/api';
import { type OperationsOf, serveOperations } from '../http/operations';
import { staffCaller } from '../http/pipeline';
import { lambdaHttpEntry } from './entry';

/** GET /posts (only the posts the caller works for) and GET /posts/{code}. */
export const postsOperations: OperationsOf<'posts'> = {
  getPost: async ({ ctx, event }) => {
    const code = pathParam(event, 'code');
    const post = await ctx.repos.posts.get(code);
    if (!post) throw new NotFoundError(`no post "${code}"`);
    return json(200, { post });
  },
  listPosts: async ({ ctx, route, caller }) => {
    const visible =
      route.access.kind === 'staff'
        ? visiblePosts(staffCaller(caller), route.access.roles)
        : new Set<string>();
    const posts = (await ctx.repos.posts.list())
      .filter((p) => visible === 'all' || visible.has(p.code))
      .sort((a, b) => a.code.localeCompare(b.code));
    return json(200, { posts });
  },
};

export const makePostsHandler = serveOperations('posts', postsOperations);

export const handler = lambdaHttpEntry(makePostsHandler);
