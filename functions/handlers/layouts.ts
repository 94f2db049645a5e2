import type { AppContext } from '../app';
import { HQ_POST } from '../core/editions';
import { NotFoundError, ValidationError } from '../core/errors';
import { json } from '../http/api';
import { jsonBody } from '../http/body';
import { type RequestHandler, staffCaller } from '../http/pipeline';
import { registerLayout } from '../render/register-layout';
import { loadTemplates } from '../render/templates';
import { lambdaHttpEntry } from './entry';

/** GET /layouts (built-in and registered), POST /layouts {"name", "source"} (checked, then stored). */
export const makeLayoutsHandler =
  (ctx: AppContext): RequestHandler =>
  async (event, caller) => {
    const templates = loadTemplates(ctx.settings.templatesDir);
    if (event.routeKey === 'GET /layouts') {
      return json(200, {
        builtIn: [...templates.layouts.keys()],
        registered: await ctx.repos.layouts.list(),
      });
    }
    const body = jsonBody(event) as { name?: unknown; source?: unknown };
    if (typeof body.name !== 'string' || typeof body.source !== 'string') {
      throw new ValidationError('the body needs "name" and "source" (the layout, Handlebars + MJML)');
    }
    const sample = await ctx.repos.posts.get(HQ_POST);
    if (!sample) throw new NotFoundError('no headquarters post to check the layout with');
    const layout = await registerLayout(
      { layouts: ctx.repos.layouts, templates, clock: ctx.clock },
      staffCaller(caller).id,
      sample,
      body.name,
      body.source,
    );
    return json(201, { layout: { name: layout.name, registeredBy: layout.registeredBy, at: layout.at } });
  };

export const handler = lambdaHttpEntry(makeLayoutsHandler);
