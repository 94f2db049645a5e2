import { actorFor } from '../core/access';
import { ValidationError } from '../core/errors';
import { json, pathParam } from '../http/api';
import { type OperationsOf, serveOperations } from '../http/operations';
import { oneOf } from '../http/query';
import { importUpload, uploadedBytes } from '../subscribers/import/upload';
import { lambdaHttpEntry } from './entry';

/**
 * POST /posts/{code}/subscribers/import?name=&audience=&format=&map=&status=&dryRun=
 * The body is the file: a Mailchimp export ZIP (application/zip) or a CSV. Send a CSV
 * that is not UTF-8 as application/octet-stream so its bytes arrive as they are.
 */
export const subscribersImportOperations: OperationsOf<'subscribers-import'> = {
  importSubscribers: async ({ ctx, event, caller }) => {
    if (!caller) throw new Error(`staff route ${event.routeKey} reached without a caller`);
    const post = pathParam(event, 'code');
    const q = event.queryStringParameters ?? {};
    const name = q.name?.trim() || 'upload.csv';
    if (name.length > 200 || [...name].some((c) => c < ' '))
      throw new ValidationError('name: a file name of at most 200 characters');
    const format = oneOf(event, 'format', ['auto', 'mailchimp', 'csv'] as const);
    const status = oneOf(event, 'status', ['subscribed', 'unsubscribed', 'bounced'] as const);
    const dryRun = oneOf(event, 'dryRun', ['true', 'false'] as const) === 'true';
    const body = uploadedBytes(event.body, event.isBase64Encoded);
    const report = await importUpload(
      {
        ...ctx.repos,
        posts: ctx.repos.posts,
        audit: ctx.audit,
        clock: ctx.clock,
        personKey: ctx.settings.signingKeys[0]?.secret ?? '',
      },
      actorFor(caller, post),
      post,
      {
        name,
        dryRun,
        ...(q.audience ? { audience: q.audience } : {}),
        ...(format ? { format } : {}),
        ...(q.map ? { map: q.map } : {}),
        ...(status ? { status } : {}),
      },
      body,
    );
    return json(dryRun ? 200 : 201, { report });
  },
};

export const makeSubscribersImportHandler = serveOperations(
  'subscribers-import',
  subscribersImportOperations,
);

export const handler = lambdaHttpEntry(makeSubscribersImportHandler);
