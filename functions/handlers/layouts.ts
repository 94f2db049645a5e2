import * as z from 'zod';
import { NotFoundError } from '../core/errors';
import { HQ_POST } from '../core/model';
import { json } from '../http/api';
import { parseBody } from '../http/body';
import { type OperationsOf, serveOperations } from '../http/operations';
import { staffCaller } from '../http/pipeline';
import { registerLayout } from '../rendering/register-layout';
import { loadTemplates } from '../rendering/templates';
import { lambdaHttpEntry } from './entry';

const LayoutBody = z.object({
  name: z.string({ error: 'must name the layout' }),
  source: z.string({ error: 'must be the layout (Handlebars + MJML)' }),
});

/** GET /layouts (built-in and registered), POST /layouts {"name", "source"} (checked, then stored). */
export const layoutsOperations: OperationsOf<'layouts'> = {
  listLayouts: async ({ ctx }) =>
    json(200, {
      builtIn: [...loadTemplates(ctx.settings.templatesDir).layouts.keys()],
      registered: await ctx.repos.layouts.list(),
    }),
  registerLayout: async ({ ctx, event, caller }) => {
    const templates = loadTemplates(ctx.settings.templatesDir);
    const body = parseBody(event, LayoutBody, 'layout');
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
  },
};

export const makeLayoutsHandler = serveOperations('layouts', layoutsOperations);

export const handler = lambdaHttpEntry(makeLayoutsHandler);
