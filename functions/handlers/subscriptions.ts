import type { AppContext } from '../app';
import { SUBSCRIPTION_STATUSES } from '../core/model';
import { json, pathParam } from '../http/api';
import type { RequestHandler } from '../http/pipeline';
import { oneOf, pageRequest } from '../http/query';
import { lambdaHttpEntry } from './entry';

/** GET /posts/{code}/subscriptions?status=&limit=&cursor= */
export const makeSubscriptionsHandler =
  (ctx: AppContext): RequestHandler =>
  async (event) => {
    const post = pathParam(event, 'code');
    const status = oneOf(event, 'status', SUBSCRIPTION_STATUSES);
    const page = await ctx.repos.subscribers.subscriptionsOfPost(post, status, pageRequest(event));
    return json(200, page);
  };

export const handler = lambdaHttpEntry(makeSubscriptionsHandler);
