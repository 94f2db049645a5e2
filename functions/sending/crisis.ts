import { z } from 'zod';
import type { Actor } from '../core/edition-service';
import type { Edition } from '../core/editions';
import { ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import { Language } from '../core/model';
import { parseInput } from '../core/validation';
import { type DispatchDeps, startSending } from './dispatch';

/**
 * A crisis alert: a short urgent message to the consular audience of one or more
 * posts, in each post's languages the alert is written in. It skips the newsletter
 * review (it is sent by the spokesperson or an admin, and audited), and its batches
 * go on the crisis queue, which workers drain before the send queue: it starts
 * within seconds even behind a large newsletter.
 */

export const CrisisInput = z.object({
  posts: z
    .array(z.string().regex(/^[a-z][a-z0-9-]{1,39}$/))
    .min(1)
    .max(200),
  messages: z
    .partialRecord(
      Language,
      z.object({ subject: z.string().trim().min(1).max(150), text: z.string().trim().min(1).max(3000) }),
    )
    .refine((m) => Object.keys(m).length > 0, 'give the alert in at least one language'),
});
export type CrisisInput = z.infer<typeof CrisisInput>;

export function parseCrisisInput(raw: unknown, where = 'alert'): CrisisInput {
  return parseInput(CrisisInput, raw, where);
}

export async function sendCrisisAlert(
  deps: DispatchDeps & { posts: { get(code: string): Promise<import('../core/model').Post | undefined> } },
  actor: Actor,
  input: CrisisInput,
): Promise<Edition[]> {
  const now = deps.clock.now().toISOString();
  const plans: Edition[] = [];
  // Check every post first: an alert goes to all of them or to none.
  for (const code of input.posts) {
    const post = await deps.posts.get(code);
    if (!post) throw new ValidationError(`posts: no post "${code}"`);
    const consular = post.audiences.filter((a) => a.kind === 'consular');
    if (consular.length === 0) throw new ValidationError(`posts: ${code} has no consular audience`);
    const languages = post.languages.filter((l) => input.messages[l]);
    const fallback = Object.keys(input.messages)[0] as Language;
    const chosen = languages.length ? languages : post.languages.includes(fallback) ? [fallback] : [];
    if (chosen.length === 0)
      throw new ValidationError(`messages: none in a language of ${code} (${post.languages.join(', ')})`);
    const first = input.messages[chosen[0] as Language];
    plans.push({
      id: newId('ed'),
      post: code,
      title: `Crisis alert: ${first?.subject ?? ''}`,
      status: 'scheduled',
      sensitive: true,
      priority: 'crisis',
      author: actor.id,
      approver: actor.id,
      scheduledAt: now,
      createdAt: now,
      updatedAt: now,
      version: 1,
      revision: 1,
      variants: consular.flatMap((a) =>
        chosen.map((language) => {
          const m = input.messages[language] as { subject: string; text: string };
          return {
            audience: a.id,
            language,
            subject: m.subject,
            preheader: m.text.slice(0, 120),
            intro: '',
            blocks: [{ type: 'consular' as const, title: m.subject, text: m.text }],
          };
        }),
      ),
    });
  }
  const started: Edition[] = [];
  for (const edition of plans) {
    await deps.editions.create(edition);
    started.push(await startSending(deps, actor, edition));
  }
  return started;
}
