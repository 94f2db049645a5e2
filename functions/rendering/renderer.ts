import type { ContentItem } from '../content/content';
import type { ContentRepository } from '../content/ports';
import type { Clock } from '../core/ports';
import type { Renderer } from '../editions/ports';
import type { LayoutRepository } from './ports';
import { renderVariant } from './render-variant';
import { compileLayout, loadTemplates } from './templates';

/** The Renderer port over templates/, the layouts HQ registered, and the content store. */
export function templateRenderer(
  templatesDir: string,
  content: Pick<ContentRepository, 'get'>,
  clock: Clock,
  layouts?: Pick<LayoutRepository, 'get'>,
): Renderer {
  const custom = new Map<string, { at: string; fn: (data: object) => string }>();
  /** An HQ-registered layout, compiled once per version. */
  const customLayout = async (name: string | undefined) => {
    if (!name || !layouts || loadTemplates(templatesDir).layouts.has(name)) return undefined;
    const stored = await layouts.get(name);
    if (!stored) return undefined;
    const hit = custom.get(name);
    if (hit && hit.at === stored.at) return hit.fn;
    const fn = compileLayout(stored.source);
    custom.set(name, { at: stored.at, fn });
    return fn;
  };
  return {
    async render(post, edition, variant) {
      const ids = new Set<string>();
      for (const b of variant.blocks) {
        if (b.type === 'central' || b.type === 'famous-belgian') ids.add(b.item);
        if (b.type === 'events') for (const id of b.items) ids.add(id);
      }
      const found = await Promise.all([...ids].map((id) => content.get(id)));
      const items = new Map(found.filter((i): i is ContentItem => i !== undefined).map((i) => [i.id, i]));
      const layout = await customLayout(edition.layout);
      return renderVariant({
        post,
        edition,
        variant,
        items,
        templates: loadTemplates(templatesDir),
        now: clock.now(),
        ...(layout ? { customLayout: layout } : {}),
      });
    },
  };
}
