import * as z from 'zod';
import { actorFor, type Principal } from '../core/access';
import { ValidationError } from '../core/errors';
import { LANGUAGES, SUBSCRIPTION_STATUSES, SUPPRESSION_REASONS } from '../core/model';
import { json, pathParam } from '../http/api';
import { parseBody } from '../http/body';
import { type OperationRequest, type OperationsOf, serveOperations } from '../http/operations';
import { oneOf, pageRequest } from '../http/query';
import { erasePerson, personalData } from '../subscribers/gdpr';
import {
  exportSubscribers,
  listSubscribers,
  removeSubscriber,
  type SubscriberFilter,
} from '../subscribers/staff';
import { addSuppression, listSuppressions, removeSuppression } from '../subscribers/suppressions';
import { lambdaHttpEntry } from './entry';

/** The route's pipeline authenticated the caller: a staff route without one is a wiring defect. */
function callerOf(req: OperationRequest): Principal {
  if (!req.caller) throw new Error(`staff route ${req.route.path} reached without a caller`);
  return req.caller;
}

function filterOf({ event }: OperationRequest): SubscriberFilter {
  const q = event.queryStringParameters ?? {};
  const status = oneOf(event, 'status', SUBSCRIPTION_STATUSES);
  const language = oneOf(event, 'lang', LANGUAGES);
  if (q.audience !== undefined && !/^[a-z][a-z0-9-]{1,39}$/.test(q.audience))
    throw new ValidationError('audience must be an audience id such as "economic"');
  if (q.q !== undefined && q.q.length > 200) throw new ValidationError('q: at most 200 characters');
  return {
    ...(status ? { status } : {}),
    ...(language ? { language } : {}),
    ...(q.audience ? { audience: q.audience } : {}),
    ...(q.q?.trim() ? { text: q.q.trim() } : {}),
  };
}

const EmailAndReason = z.object({ email: z.string().max(320), reason: z.string().max(1000).optional() });
const EmailOnly = z.object({ email: z.string().max(320) });

/**
 * Staff on people: a post's list (search, export, remove one person), the network's
 * suppressions, GDPR access and erasure. Rules in the route table; the use cases in
 * subscribers/staff.ts, suppressions.ts and gdpr.ts audit every read and change.
 */
/** The CSV an export answers at most (a Lambda's response is at most 6 MB, headers included). */
const MAX_EXPORT_ANSWER = 5 * 1024 * 1024;

export const subscribersAdminOperations: OperationsOf<'subscribers-admin'> = {
  listSubscribers: async (req) => {
    const post = pathParam(req.event, 'code');
    const actor = actorFor(callerOf(req), post);
    return json(
      200,
      await listSubscribers(req.ctx.staff, actor, post, filterOf(req), pageRequest(req.event)),
    );
  },
  exportSubscribers: async (req) => {
    const post = pathParam(req.event, 'code');
    const actor = actorFor(callerOf(req), post);
    // A Lambda answers at most 6 MB: the answer is kept under it, a bigger list goes through the CLI.
    const chunks: string[] = [];
    await exportSubscribers(req.ctx.staff, actor, post, filterOf(req), (c) => void chunks.push(c), {
      maxBytes: MAX_EXPORT_ANSWER,
    });
    const csv = chunks.join('');
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${post}-subscribers.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: csv,
    };
  },
  removeSubscriber: async (req) => {
    const post = pathParam(req.event, 'code');
    const actor = actorFor(callerOf(req), post);
    return json(200, await removeSubscriber(req.ctx.staff, actor, post, pathParam(req.event, 'id')));
  },
  listSuppressions: async (req) =>
    json(
      200,
      await listSuppressions(
        req.ctx.staff,
        oneOf(req.event, 'reason', SUPPRESSION_REASONS),
        pageRequest(req.event),
      ),
    ),
  addSuppression: async (req) => {
    const body = parseBody(req.event, EmailAndReason, 'suppression');
    return json(201, await addSuppression(req.ctx.staff, actorFor(callerOf(req)), body.email, body.reason));
  },
  removeSuppression: async (req) => {
    const body = parseBody(req.event, EmailAndReason, 'suppression');
    return json(
      200,
      await removeSuppression(req.ctx.staff, actorFor(callerOf(req)), body.email, body.reason),
    );
  },
  personalData: async (req) => {
    const { email } = parseBody(req.event, EmailOnly, 'access');
    return json(200, await personalData(req.ctx.staff, actorFor(callerOf(req)), email));
  },
  erasePerson: async (req) => {
    const { email } = parseBody(req.event, EmailOnly, 'erase');
    return json(200, await erasePerson(req.ctx.staff, actorFor(callerOf(req)), email));
  },
};

export const makeSubscribersAdminHandler = serveOperations('subscribers-admin', subscribersAdminOperations);

export const handler = lambdaHttpEntry(makeSubscribersAdminHandler);
