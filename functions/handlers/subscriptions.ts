import { SUBSCRIPTION_STATUSES } from '../core/model';
import { json, pathParam } from '../http/api';
import { type OperationsOf, serveOperations } from '../http/operations';
import { oneOf, pageRequest } from '../http/query';
import { lambdaHttpEntry } from './entry';

/** GET /posts/{code}/subscriptions?status=&limit=&cursor= */
export const subscriptionsOperations: OperationsOf<'subscriptions'> = {
  listSubscriptions: async ({ ctx, event }) => {
    const post = pathParam(event, 'code');
    const status = oneOf(event, 'status', SUBSCRIPTION_STATUSES);
    return json(200, await ctx.repos.subscribers.subscriptionsOfPost(post, status, pageRequest(event)));
  },
};

export const makeSubscriptionsHandler = serveOperations('subscriptions', subscriptionsOperations);

export const handler = lambdaHttpEntry(makeSubscriptionsHandler);
