import * as z from 'zod';
import { RENDERING } from '../app';
import { actorFor } from '../core/access';
import { parseInput } from '../core/validation';
import { summarise } from '../editions/model';
import { json } from '../http/api';
import { jsonBody } from '../http/body';
import { type OperationsOf, serveOperations } from '../http/operations';
import { staffCaller } from '../http/pipeline';
import { CrisisInput, planCrisisAlert, sendCrisisAlert, summariseCrisis } from '../sending/crisis';
import { lambdaHttpEntry } from './entry';

/** The alert, and `dryRun: true` to get the counts without sending. */
const CrisisRequest = CrisisInput.extend({ dryRun: z.boolean().default(false) });

/**
 * POST /crisis {"posts": [...], "messages": {"fr": {"subject", "text"}, ...}, "dryRun"?}
 * → 202 with the editions and who gets which language (200 and the counts alone on a dry run).
 */
export const crisisOperations: OperationsOf<'crisis'> = {
  sendCrisisAlert: async ({ ctx, event, caller }) => {
    const { dryRun, ...alert } = parseInput(CrisisRequest, jsonBody(event), 'alert');
    const deps = { ...ctx.sending.dispatch, posts: ctx.repos.posts, subscribers: ctx.repos.subscribers };
    if (dryRun) return json(200, { dryRun, ...summariseCrisis(await planCrisisAlert(deps, alert)) });
    // Network-wide: the alert spans posts, so every role the caller holds counts.
    const sent = await sendCrisisAlert(deps, actorFor(staffCaller(caller)), alert);
    return json(202, { editions: sent.editions.map(summarise), ...sent.summary });
  },
};

export const makeCrisisHandler = serveOperations('crisis', crisisOperations);

export const handler = lambdaHttpEntry(makeCrisisHandler, RENDERING);
