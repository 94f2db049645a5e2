import type { AppContext } from '../app';
import type { Principal } from '../core/access';
import { testSend } from '../core/edition-mail';
import {
  type Actor,
  approveEdition,
  cancelEdition,
  cloneEdition,
  createEdition,
  loadEdition,
  scheduleEdition,
  submitEdition,
  updateEdition,
  variantRender,
} from '../core/edition-service';
import { HQ_POST, parseEditionInput } from '../core/editions';
import { NotFoundError, ValidationError } from '../core/errors';
import { LANGUAGES } from '../core/model';
import { type ApiEvent, json, pathParam } from '../http/api';
import { jsonBody } from '../http/body';
import { type RequestHandler, staffCaller } from '../http/pipeline';
import { oneOf, pageRequest } from '../http/query';
import { previewHtml } from '../render/personalise';
import { startSending } from '../sending/dispatch';
import { remaining } from '../sending/model';
import { lambdaHttpEntry } from './entry';

/** The roles the caller holds for this post (network-wide roles count everywhere). */
const actorFor = (caller: Principal, post: string): Actor => ({
  id: caller.id,
  roles: caller.grants.filter((g) => g.post === undefined || g.post === post).map((g) => g.role),
});

const bodyObject = (event: ApiEvent): Record<string, unknown> => {
  const body = event.body ? jsonBody(event) : {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError('the body must be a JSON object');
  return body as Record<string, unknown>;
};

const PUBLISHED = new Set(['approved', 'scheduled', 'sending', 'sent']);

/**
 * Editions of a post: list, create, read, update, clone, import an HQ edition,
 * submit, approve, schedule, cancel, preview a variant, test send.
 */
export const makeEditionsHandler =
  (ctx: AppContext): RequestHandler =>
  async (event, caller) => {
    const deps = ctx.editions;
    const post = pathParam(event, 'code');
    const actor = actorFor(staffCaller(caller), post);
    const route = event.routeKey;

    if (route === 'GET /posts/{code}/editions')
      return json(200, await deps.editions.listByPost(post, pageRequest(event)));
    if (route === 'POST /posts/{code}/editions') {
      const edition = await createEdition(deps, actor, post, parseEditionInput(jsonBody(event)));
      return json(201, { edition });
    }
    if (route === 'GET /posts/{code}/hq-editions') {
      const page = await deps.editions.listByPost(HQ_POST, pageRequest(event));
      return json(200, { ...page, items: page.items.filter((e) => PUBLISHED.has(e.status)) });
    }
    if (route === 'POST /posts/{code}/hq-editions/{id}/clone') {
      const source = await deps.editions.get(pathParam(event, 'id'));
      if (!source || source.post !== HQ_POST || !PUBLISHED.has(source.status)) {
        throw new NotFoundError(`no published HQ edition "${pathParam(event, 'id')}"`);
      }
      return json(201, { edition: await cloneEdition(deps, actor, source, post) });
    }

    const edition = await loadEdition(deps, post, pathParam(event, 'id'));
    switch (route) {
      case 'GET /posts/{code}/editions/{id}':
        return json(200, { edition });
      case 'PUT /posts/{code}/editions/{id}': {
        const body = bodyObject(event);
        const version = body.version;
        if (version !== undefined && typeof version !== 'number')
          throw new ValidationError('version must be a number');
        const updated = await updateEdition(deps, actor, edition, parseEditionInput(body), version);
        return json(200, { edition: updated });
      }
      case 'POST /posts/{code}/editions/{id}/clone':
        return json(201, { edition: await cloneEdition(deps, actor, edition, post) });
      case 'POST /posts/{code}/editions/{id}/submit':
        return json(200, { edition: await submitEdition(deps, actor, edition) });
      case 'POST /posts/{code}/editions/{id}/approve':
        return json(200, { edition: await approveEdition(deps, actor, edition) });
      case 'POST /posts/{code}/editions/{id}/schedule': {
        const at = bodyObject(event).at;
        if (at !== undefined && typeof at !== 'string')
          throw new ValidationError('at must be an ISO date and time');
        return json(200, { edition: await scheduleEdition(deps, actor, edition, at) });
      }
      case 'POST /posts/{code}/editions/{id}/cancel':
        return json(200, { edition: await cancelEdition(deps, actor, edition) });
      case 'GET /posts/{code}/editions/{id}/preview': {
        const audience = event.queryStringParameters?.audience;
        const language = oneOf(event, 'lang', LANGUAGES);
        if (!audience || !language) throw new ValidationError('preview needs ?audience=...&lang=...');
        const render = await variantRender(deps, edition, audience, language);
        return {
          statusCode: 200,
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
            'content-security-policy': "script-src 'none'; frame-ancestors 'self'",
          },
          body: previewHtml(render, deps.labels(language)),
        };
      }
      case 'POST /posts/{code}/editions/{id}/send': {
        // "Send now": scheduled at this minute and started at once, without waiting for the schedule tick.
        const scheduled =
          edition.status === 'scheduled'
            ? edition
            : await scheduleEdition(deps, actor, edition, ctx.clock.now().toISOString());
        const started = await startSending(ctx.sending.dispatch, actor, scheduled);
        return json(202, { edition: started });
      }
      case 'GET /posts/{code}/editions/{id}/progress': {
        const progress = await ctx.sending.dispatch.progress.read(edition.id);
        return json(200, { status: edition.status, progress, remaining: remaining(progress) });
      }
      case 'POST /posts/{code}/editions/{id}/test-send': {
        const body = bodyObject(event);
        const to = body.to;
        if (!Array.isArray(to) || !to.every((a) => typeof a === 'string'))
          throw new ValidationError('to must be a list of addresses');
        if (typeof body.audience !== 'string' || typeof body.lang !== 'string') {
          throw new ValidationError('test-send needs "audience" and "lang"');
        }
        return json(200, { sent: await testSend(deps, edition, body.audience, body.lang, to) });
      }
    }
    throw new NotFoundError(`no route ${route}`);
  };

export const handler = lambdaHttpEntry(makeEditionsHandler);
