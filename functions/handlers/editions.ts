import * as z from 'zod';
import { MAIL, RENDERING } from '../app';
import { actorFor } from '../core/access';
import { typedText } from '../core/control-chars';
import { NotFoundError, ValidationError } from '../core/errors';
import { HQ_POST, LANGUAGES } from '../core/model';
import { checkStories, parseEditionDocument, parseEditionInput } from '../editions/model';
import {
  approveEdition,
  cancelEdition,
  cloneEdition,
  createEdition,
  loadEdition,
  scheduledTime,
  scheduleEdition,
  sendBackEdition,
  submitEdition,
  updateEdition,
  variantRender,
} from '../editions/service';
import { json, pathParam } from '../http/api';
import { jsonBody, parseBody } from '../http/body';
import { type OperationRequest, type OperationsOf, serveOperations } from '../http/operations';
import { staffCaller } from '../http/pipeline';
import { oneOf, pageRequest } from '../http/query';
import { previewHtml } from '../rendering/personalise';
import { remaining } from '../sending/model';
import { sendNow } from '../sending/send-now';
import { testSend } from '../sending/test-send';
import { lambdaHttpEntry } from './entry';

const ScheduleBody = z
  .object({ at: z.string({ error: 'must be an ISO date and time' }).optional() })
  .optional();
/**
 * The comment is shown to the editors (app, `edition show --json`): control characters
 * and bidi overrides go, as in the edition's own fields. Each check says what is wrong
 * (a schema-wide `error` would also word the length check as "is required").
 */
const SendBackBody = z.object({
  comment: z
    .string({ error: 'is required: what should change' })
    .max(2000, 'at most 2000 characters')
    .transform((s) => typedText(s).trim())
    .pipe(z.string().min(1, 'is required: what should change')),
});
/** The addresses themselves are checked by the test send, which names the wrong one. */
const TestSendBody = z.object({
  to: z.array(z.string(), { error: 'must be a list of addresses' }),
  audience: z.string({ error: 'must name the audience of the variant' }),
  lang: z.string({ error: 'must name the language of the variant' }),
});

/** Whether a central item exists: a story named in a block must have its variant's language. */
const storyExists =
  (ctx: OperationRequest['ctx']) =>
  async (id: string): Promise<boolean> =>
    (await ctx.content.content.get(id)) !== undefined;

const PUBLISHED = new Set(['approved', 'scheduled', 'sending', 'sent']);

/** The post of the path, and the caller acting with the roles they hold for it. */
const onPost = ({ ctx, event, caller }: OperationRequest) => {
  const post = pathParam(event, 'code');
  return { deps: ctx.editions, post, actor: actorFor(staffCaller(caller), post) };
};

/** As onPost, with the edition of the path (404 when it is not this post's). */
const onEdition = async (req: OperationRequest) => {
  const scope = onPost(req);
  return { ...scope, edition: await loadEdition(scope.deps, scope.post, pathParam(req.event, 'id')) };
};

/**
 * Editions of a post: list, create, read, update, clone, import an HQ edition,
 * submit, approve, schedule, cancel, preview a variant, test send, send now, progress.
 */
export const editionOperations: OperationsOf<'editions'> = {
  listEditions: async (req) => {
    const { deps, post } = onPost(req);
    return json(200, await deps.editions.listByPost(post, pageRequest(req.event)));
  },
  createEdition: async (req) => {
    const { deps, post, actor } = onPost(req);
    const input = parseEditionInput(jsonBody(req.event));
    await checkStories(input, storyExists(req.ctx));
    const edition = await createEdition(deps, actor, post, input);
    return json(201, { edition });
  },
  listHqEditions: async (req) => {
    const { deps } = onPost(req);
    const page = await deps.editions.listByPost(HQ_POST, pageRequest(req.event));
    return json(200, { ...page, items: page.items.filter((e) => PUBLISHED.has(e.status)) });
  },
  cloneHqEdition: async (req) => {
    const { deps, post, actor } = onPost(req);
    const id = pathParam(req.event, 'id');
    const source = await deps.editions.get(id);
    if (!source || source.post !== HQ_POST || !PUBLISHED.has(source.status)) {
      throw new NotFoundError(`no published HQ edition "${id}"`);
    }
    return json(201, { edition: await cloneEdition(deps, actor, source, post) });
  },
  getEdition: async (req) => json(200, { edition: (await onEdition(req)).edition }),
  updateEdition: async (req) => {
    const { deps, actor, edition } = await onEdition(req);
    // The edition as written, or as GET answered it (its read-only fields ignored, its version checked).
    const { input, id, version } = parseEditionDocument(jsonBody(req.event));
    await checkStories(input, storyExists(req.ctx));
    if (id !== undefined && id !== edition.id)
      throw new ValidationError(`edition: id: the body is edition ${id}, not ${edition.id}`);
    return json(200, { edition: await updateEdition(deps, actor, edition, input, version) });
  },
  cloneEdition: async (req) => {
    const { deps, post, actor, edition } = await onEdition(req);
    return json(201, { edition: await cloneEdition(deps, actor, edition, post) });
  },
  submitEdition: async (req) => {
    const { deps, actor, edition } = await onEdition(req);
    return json(200, { edition: await submitEdition(deps, actor, edition) });
  },
  approveEdition: async (req) => {
    const { deps, actor, edition } = await onEdition(req);
    return json(200, { edition: await approveEdition(deps, actor, edition) });
  },
  sendBackEdition: async (req) => {
    const { deps, actor, edition } = await onEdition(req);
    const { comment } = parseBody(req.event, SendBackBody, 'send back');
    return json(200, { edition: await sendBackEdition(deps, actor, edition, comment) });
  },
  scheduleEdition: async (req) => {
    const { deps, actor, edition } = await onEdition(req);
    const at = parseBody(req.event, ScheduleBody, 'schedule')?.at;
    const scheduled = await scheduleEdition(deps, actor, edition, at);
    // The time both ways: the post's local time with its zone, and UTC.
    return json(200, { edition: scheduled, scheduledFor: await scheduledTime(deps, scheduled) });
  },
  cancelEdition: async (req) => {
    const { deps, actor, edition } = await onEdition(req);
    return json(200, { edition: await cancelEdition(deps, actor, edition) });
  },
  previewVariant: async (req) => {
    const { deps, edition } = await onEdition(req);
    const audience = req.event.queryStringParameters?.audience;
    const language = oneOf(req.event, 'lang', LANGUAGES);
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
  },
  sendNow: async (req) => {
    const { deps, actor, edition } = await onEdition(req);
    return json(202, {
      edition: await sendNow({ editions: deps, dispatch: req.ctx.sending.dispatch }, actor, edition),
    });
  },
  sendProgress: async (req) => {
    const { edition } = await onEdition(req);
    const progress = await req.ctx.sending.dispatch.progress.read(edition.id);
    return json(200, { status: edition.status, progress, remaining: remaining(progress) });
  },
  testSend: async (req) => {
    const { deps, edition } = await onEdition(req);
    const body = parseBody(req.event, TestSendBody, 'test-send');
    return json(200, { sent: await testSend(deps, edition, body.audience, body.lang, body.to) });
  },
};

export const makeEditionsHandler = serveOperations('editions', editionOperations);

export const handler = lambdaHttpEntry(makeEditionsHandler, { ...RENDERING, ...MAIL });
