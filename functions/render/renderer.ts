import type { ContentItem } from '../core/content';
import type { ContentRepository } from '../core/content-sync';
import type { Renderer } from '../core/edition-service';
import type { Clock } from '../core/ports';
import { renderVariant } from './render-variant';
import { loadTemplates } from './templates';

/** The Renderer port over templates/ and the content store. */
export function templateRenderer(
  templatesDir: string,
  content: Pick<ContentRepository, 'get'>,
  clock: Clock,
): Renderer {
  return {
    async render(post, edition, variant) {
      const ids = new Set<string>();
      for (const b of variant.blocks) {
        if (b.type === 'central' || b.type === 'famous-belgian') ids.add(b.item);
        if (b.type === 'events') for (const id of b.items) ids.add(id);
      }
      const found = await Promise.all([...ids].map((id) => content.get(id)));
      const items = new Map(found.filter((i): i is ContentItem => i !== undefined).map((i) => [i.id, i]));
      return renderVariant({
        post,
        edition,
        variant,
        items,
        templates: loadTemplates(templatesDir),
        now: clock.now(),
      });
    },
  };
}
