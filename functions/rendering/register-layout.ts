import { ValidationError } from '../core/errors';
import type { Post } from '../core/model';
import { checkLayoutSource, checkRenderedLayout, describeProblem } from './layout-check';
import { REQUIRED_SLOTS } from './layouts';
import type { Layout, LayoutRepository } from './ports';
import { RenderError, renderVariant } from './render-variant';
import { compileLayout, type TemplateSet } from './templates';

const NAME = /^[a-z][a-z0-9-]{1,39}$/;

/** The sample blocks' titles: each must show in the sample's rendered HTML. */
const SAMPLE = { local: 'Sample local article', consular: 'Sample notice', event: 'Sample event' } as const;

/**
 * Checks an HQ layout on upload, then stores it: Handlebars must compile it; only the
 * blocks take three braces; the blocks and the three footer links are in every email
 * (not in a comment or a condition); a sample variant (every local block type) must
 * render through it with MJML's validator, and its HTML must show the blocks and
 * carry the links as links. Each refusal is one line naming the line of the layout.
 */
export async function registerLayout(
  deps: { layouts: LayoutRepository; templates: TemplateSet; clock: { now(): Date } },
  actor: string,
  sample: Post,
  name: string,
  source: string,
): Promise<Layout> {
  if (!NAME.test(name)) throw new ValidationError('name: 2-40 lowercase letters, digits or dashes');
  if (deps.templates.layouts.has(name)) throw new ValidationError(`name: "${name}" is a built-in layout`);
  if (source.length > 200_000) throw new ValidationError('source: at most 200,000 characters');
  const missing = REQUIRED_SLOTS.filter((slot) => !source.includes(slot));
  if (missing.length) throw new ValidationError(`source: the layout must contain ${missing.join(', ')}`);
  let layout: ReturnType<typeof compileLayout>;
  let checked: ReturnType<typeof checkLayoutSource>;
  try {
    checked = checkLayoutSource(source);
    layout = compileLayout(source);
    layout({});
  } catch (error) {
    throw new ValidationError(
      `source: not a valid Handlebars template: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const [wrong] = checked.problems;
  if (wrong) throw new ValidationError(describeProblem(wrong));
  let html: string;
  try {
    ({ html } = await renderVariant({
      post: sample,
      edition: { id: 'ed_layout_check', title: 'Layout check', revision: 1 },
      variant: {
        audience: sample.audiences[0]?.id ?? 'network',
        language: sample.defaultLanguage,
        subject: 'Layout check',
        preheader: 'Layout check',
        intro: 'Intro.',
        blocks: [
          { type: 'local', title: SAMPLE.local, text: 'Text.' },
          { type: 'consular', title: SAMPLE.consular, text: 'Text.' },
          {
            type: 'events',
            items: [],
            local: [{ title: SAMPLE.event, start: '2027-01-01T10:00:00+01:00' }],
          },
          { type: 'cta', label: 'Go', url: 'https://example.org/' },
        ],
      },
      items: new Map(),
      templates: deps.templates,
      customLayout: layout,
      now: deps.clock.now(),
    }));
  } catch (error) {
    if (error instanceof RenderError)
      throw new ValidationError(`source: ${error.message.replace(/^variant [^:]+: /, '')}`);
    throw error;
  }
  const [unseen] = checkRenderedLayout(html, checked, Object.values(SAMPLE));
  if (unseen) throw new ValidationError(describeProblem(unseen));
  const stored: Layout = { name, source, registeredBy: actor, at: deps.clock.now().toISOString() };
  await deps.layouts.put(stored);
  return stored;
}
