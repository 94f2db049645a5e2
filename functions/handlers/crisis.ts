import { actorFor } from '../core/access';
import { summarise } from '../core/editions';
import { json } from '../http/api';
import { jsonBody } from '../http/body';
import { type OperationsOf, serveOperations } from '../http/operations';
import { staffCaller } from '../http/pipeline';
import { parseCrisisInput, sendCrisisAlert } from '../sending/crisis';
import { lambdaHttpEntry } from './entry';

/** POST /crisis {"posts": [...], "messages": {"fr": {"subject", "text"}, ...}} */
export const crisisOperations: OperationsOf<'crisis'> = {
  sendCrisisAlert: async ({ ctx, event, caller }) => {
    const editions = await sendCrisisAlert(
      { ...ctx.sending.dispatch, posts: ctx.repos.posts },
      // Network-wide: the alert spans posts, so every role the caller holds counts.
      actorFor(staffCaller(caller)),
      parseCrisisInput(jsonBody(event)),
    );
    return json(202, { editions: editions.map(summarise) });
  },
};

export const makeCrisisHandler = serveOperations('crisis', crisisOperations);

export const handler = lambdaHttpEntry(makeCrisisHandler);
