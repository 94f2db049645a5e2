import { receiveSnsMessage } from '../engagement/sns-endpoint';
import { json } from '../http/api';
import { rawBody } from '../http/body';
import { type OperationsOf, serveOperations } from '../http/operations';
import { lambdaHttpEntry } from './entry';

/**
 * POST /ses/events: SNS over HTTPS. The body is read raw (SNS posts JSON as
 * text/plain) and verified before anything is recorded; a refusal is a 403 JSON error.
 */
export const sesSnsOperations: OperationsOf<'ses-sns'> = {
  receiveSnsMessage: async ({ ctx, event }) =>
    json(200, await receiveSnsMessage(ctx.snsEvents, ctx.engagement, rawBody(event))),
};

export const makeSesSnsHandler = serveOperations('ses-sns', sesSnsOperations);

export const handler = lambdaHttpEntry(makeSesSnsHandler);
