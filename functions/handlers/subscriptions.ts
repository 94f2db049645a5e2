import { NotFoundError } from '../core/errors';
import { SUBSCRIPTION_STATUSES } from '../core/model';
import { json, pathParam } from '../http/api';
import { type OperationsOf, serveOperations } from '../http/operations';
import { oneOf, pageRequest } from '../http/query';
import { postDashboardFigures } from '../reports/dashboard';
import { periodOf } from '../reports/report';
import { listSizes } from '../subscribers/list-sizes';
import { lambdaHttpEntry } from './entry';

/** GET /posts/{code}/subscriptions?status=&limit=&cursor= and GET /posts/{code}/lists. */
export const subscriptionsOperations: OperationsOf<'subscriptions'> = {
  listSubscriptions: async ({ ctx, event }) => {
    const post = pathParam(event, 'code');
    const status = oneOf(event, 'status', SUBSCRIPTION_STATUSES);
    return json(200, await ctx.repos.subscribers.subscriptionsOfPost(post, status, pageRequest(event)));
  },
  // The post's lists for its dashboard: sizes now, growth and sent editions over the last twelve months.
  postLists: async ({ ctx, event }) => {
    const code = pathParam(event, 'code');
    const post = await ctx.repos.posts.get(code);
    if (!post) throw new NotFoundError(`no post "${code}"`);
    const period = periodOf(undefined, undefined, ctx.clock.now());
    const [lists, figures] = await Promise.all([
      listSizes(ctx.repos.subscribers, post),
      postDashboardFigures(ctx.reports, code, period),
    ]);
    return json(200, { post: code, period: { from: period.from, to: period.to }, lists, ...figures });
  },
};

export const makeSubscriptionsHandler = serveOperations('subscriptions', subscriptionsOperations);

export const handler = lambdaHttpEntry(makeSubscriptionsHandler);
