import type { AppContext } from '../app';
import { summarise } from '../core/editions';
import { json } from '../http/api';
import { jsonBody } from '../http/body';
import { type RequestHandler, staffCaller } from '../http/pipeline';
import { parseCrisisInput, sendCrisisAlert } from '../sending/crisis';
import { lambdaHttpEntry } from './entry';

/** POST /crisis {"posts": [...], "messages": {"fr": {"subject", "text"}, ...}} */
export const makeCrisisHandler =
  (ctx: AppContext): RequestHandler =>
  async (event, caller) => {
    const principal = staffCaller(caller);
    const editions = await sendCrisisAlert(
      { ...ctx.sending.dispatch, posts: ctx.repos.posts },
      { id: principal.id, roles: principal.grants.map((g) => g.role) },
      parseCrisisInput(jsonBody(event)),
    );
    return json(202, { editions: editions.map(summarise) });
  };

export const handler = lambdaHttpEntry(makeCrisisHandler);
