import { json, pathParam } from '../http/api';
import { type OperationsOf, serveOperations } from '../http/operations';
import { pageRequest } from '../http/query';
import { lambdaHttpEntry } from './entry';

/** GET /posts/{code}/audit and GET /audit (network-wide actions). */
export const auditOperations: OperationsOf<'audit'> = {
  postAudit: async ({ ctx, event }) =>
    json(200, await ctx.audit.list(pathParam(event, 'code'), pageRequest(event))),
  networkAudit: async ({ ctx, event }) => json(200, await ctx.audit.list(undefined, pageRequest(event))),
};

export const makeAuditHandler = serveOperations('audit', auditOperations);

export const handler = lambdaHttpEntry(makeAuditHandler);
