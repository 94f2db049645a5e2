import * as z from 'zod';
import { stripBidiControls } from '../core/control-chars';
import { ConflictError, ValidationError } from '../core/errors';
import { HQ_POST, Language, nameIn, type Post, type Subscription } from '../core/model';
import type { Clock } from '../core/ports';
import type { LinkClaims } from '../core/signed-links';
import { parseInput } from '../core/validation';
import type { SubscriberRepository } from './ports';

/**
 * The preference centre: what a person may change through their own signed "manage"
 * link (no account): their name and preferred language, and, at the link's post, which
 * audiences they receive and in which of the post's languages.
 */

/** Consent source of an audience added through the preference centre. */
export const PREFERENCES_SOURCE = 'preferences';

/** The form's fields as posted (checkboxes repeat `audience`); checked against the post below. */
export const PreferencesForm = z.object({
  name: z
    .string()
    .trim()
    .max(120, 'must be at most 120 characters')
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    // Bidi overrides reorder a staff list's line (the name, then the address): dropped.
    .transform((s) => stripBidiControls(s).trim()),
  language: Language,
  postLanguage: Language.optional(),
  audiences: z.array(z.string()).max(50),
});
export type PreferencesForm = z.infer<typeof PreferencesForm>;

export interface PreferencesOutcome {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Adding an audience needs the double opt-in: the person has no confirmed subscription at the post. */
export class NeedsOptInError extends ConflictError {
  constructor(
    readonly audience: string,
    post: string,
  ) {
    super(
      `preferences: to receive "${audience}", subscribe through ${post}'s subscription form (it sends a confirmation message)`,
    );
  }
}

type Repo = Pick<SubscriberRepository, 'subscriptionsOf' | 'putSubscription' | 'updateProfile'>;

const active = (s: Subscription) => s.status !== 'unsubscribed';

/**
 * Checks the whole form before writing anything (never half-written state), then
 * applies it. An audience is added as confirmed only when the person already holds a
 * confirmed subscription at this post (their confirmed address and consent cover the
 * post; the link proves the address is theirs); otherwise it must go through the
 * post's subscribe form and its double opt-in. An unticked audience is unsubscribed.
 * A link that names nobody changes nothing and answers the same.
 */
export async function applyPreferences(
  subscribers: Repo,
  clock: Clock,
  claims: Pick<LinkClaims, 's' | 'o' | 'g'>,
  post: Pick<Post, 'code' | 'name' | 'languages' | 'audiences'> | undefined,
  raw: unknown,
): Promise<PreferencesOutcome> {
  const form = parseInput(PreferencesForm, raw, 'preferences');
  const atPost = post && claims.o === post.code && post.code !== HQ_POST ? post : undefined;
  const wanted = new Set(form.audiences);
  if (atPost) {
    const known = new Set(atPost.audiences.map((a) => a.id));
    const unknown = [...wanted].find((id) => !known.has(id));
    if (unknown !== undefined)
      throw new ValidationError(`preferences: audience "${unknown}" is not a newsletter of ${atPost.name}`);
    if (form.postLanguage && !atPost.languages.includes(form.postLanguage))
      throw new ValidationError(
        `preferences: postLanguage "${form.postLanguage}" is not a language of ${atPost.name} (${atPost.languages.join(', ')})`,
      );
  }
  const now = clock.now().toISOString();
  const mine = (await subscribers.subscriptionsOf(claims.s)).filter((s) => atPost && s.post === atPost.code);
  const added: string[] = [];
  const removed: string[] = [];
  const writes: Subscription[] = [];
  if (atPost) {
    const language: Language =
      form.postLanguage ??
      mine.find(active)?.language ??
      (atPost.languages.includes(form.language) ? form.language : (atPost.languages[0] ?? form.language));
    const covered = mine.some((s) => s.status === 'confirmed');
    for (const audience of atPost.audiences) {
      const current = mine.find((s) => s.audience === audience.id);
      const has = current !== undefined && active(current);
      if (wanted.has(audience.id) && !has) {
        if (!covered) throw new NeedsOptInError(nameIn(audience, claims.g), nameIn(atPost, claims.g));
        added.push(audience.id);
        writes.push({
          subscriberId: claims.s,
          post: atPost.code,
          audience: audience.id,
          language,
          status: 'confirmed',
          updatedAt: now,
          consent: { at: now, source: PREFERENCES_SOURCE, confirmedAt: now },
        });
      } else if (!wanted.has(audience.id) && current && has) {
        removed.push(audience.id);
        writes.push({ ...current, status: 'unsubscribed', updatedAt: now });
      } else if (current && has && current.language !== language) {
        writes.push({ ...current, language, updatedAt: now });
      }
    }
  }
  // A link for nobody updates no profile (the repository ignores an unknown id).
  await subscribers.updateProfile(claims.s, { name: form.name, language: form.language });
  for (const s of writes) await subscribers.putSubscription(s);
  return { added, removed };
}
