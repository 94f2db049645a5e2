import type { Actor } from '../core/access';
import type { AuditAction, AuditTrail } from '../core/audit';
import { ForbiddenError, NotFoundError, quoted, ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import { parseLocalOrInstant, type ZonedTime, zonedTime } from '../core/local-time';
import type { Post } from '../core/model';
import { HQ_POST } from '../core/model';
import type { Clock, PostRepository } from '../core/ports';
import {
  approvalNeeded,
  changedByAlso,
  checkApprover,
  checkVariantsFit,
  type Edition,
  type EditionInput,
  nextStatus,
  type RenderedVariant,
  type Transition,
  type Variant,
} from './model';
import type { EditionRepository, Renderer } from './ports';
import { RENDER_FORMAT } from './render-format';

/**
 * Use cases on editions. Each: 1. load and check, 2. compute the new state,
 * 3. write it with the version read (concurrent changes conflict, never merge),
 * 4. record the audit entry.
 */

/** Who acts (the principal's id and roles for the edition's post: `actorFor` in access.ts). */
export type { Actor };

export interface EditionDeps {
  readonly editions: EditionRepository;
  readonly posts: PostRepository;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly renderer: Renderer;
}

async function postOf(deps: EditionDeps, code: string): Promise<Post> {
  const post = await deps.posts.get(code);
  if (!post) throw new NotFoundError(`no post "${code}"`);
  return post;
}

/** The edition, if it belongs to this post: another post's edition does not exist for the caller. */
export async function loadEdition(deps: EditionDeps, post: string, id: string): Promise<Edition> {
  const edition = await deps.editions.get(id);
  if (!edition || edition.post !== post) throw new NotFoundError(`no edition "${id}" at ${post}`);
  return edition;
}

async function audit(
  deps: EditionDeps,
  actor: Actor,
  action: AuditAction,
  e: Edition,
  detail?: Record<string, string>,
) {
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: actor.id,
    action,
    ...(e.post === HQ_POST ? {} : { post: e.post }),
    target: { type: 'edition', id: e.id },
    ...(detail ? { detail } : {}),
  });
}

export async function createEdition(
  deps: EditionDeps,
  actor: Actor,
  postCode: string,
  input: EditionInput,
  clonedFrom?: string,
): Promise<Edition> {
  const post = await postOf(deps, postCode);
  checkVariantsFit(input, post);
  const now = deps.clock.now().toISOString();
  const edition: Edition = {
    id: newId('ed'),
    post: postCode,
    title: input.title,
    status: 'draft',
    sensitive: input.sensitive,
    ...(input.layout ? { layout: input.layout } : {}),
    author: actor.id,
    changedBy: [actor.id],
    ...(clonedFrom ? { clonedFrom } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
    revision: 1,
    variants: input.variants,
  };
  await deps.editions.create(edition);
  await audit(deps, actor, 'edition.created', edition, clonedFrom ? { clonedFrom } : undefined);
  return edition;
}

async function transition(
  deps: EditionDeps,
  actor: Actor,
  edition: Edition,
  t: Transition,
  change: Partial<Edition>,
  action: AuditAction,
  detail?: Record<string, string>,
): Promise<Edition> {
  const post = await postOf(deps, edition.post);
  const status = nextStatus(edition.status, t, approvalNeeded({ ...edition, ...change }, post) !== undefined);
  const next: Edition = {
    ...edition,
    ...change,
    status,
    updatedAt: deps.clock.now().toISOString(),
    version: edition.version + 1,
  };
  await deps.editions.save(next, edition.version);
  await audit(deps, actor, action, next, detail);
  return next;
}

/** Replaces title, flags and variants. A change after review or approval sends the edition back. */
export async function updateEdition(
  deps: EditionDeps,
  actor: Actor,
  edition: Edition,
  input: EditionInput,
  expectedVersion?: number,
): Promise<Edition> {
  if (expectedVersion !== undefined && expectedVersion !== edition.version) {
    throw new ValidationError(
      `version ${expectedVersion} is not the current version ${edition.version}: reload first`,
    );
  }
  checkVariantsFit(input, await postOf(deps, edition.post));
  const { approver: _dropped, ...rest } = edition;
  return transition(
    deps,
    actor,
    rest,
    'update',
    {
      title: input.title,
      sensitive: input.sensitive,
      variants: input.variants,
      ...(input.layout ? { layout: input.layout } : {}),
      revision: edition.revision + 1,
      changedBy: changedByAlso(edition, actor.id),
    },
    'edition.updated',
  );
}

export async function submitEdition(deps: EditionDeps, actor: Actor, edition: Edition): Promise<Edition> {
  await renderAll(deps, edition); // an edition that does not render is not put up for review
  return transition(deps, actor, edition, 'submit', {}, 'edition.submitted');
}

export async function approveEdition(deps: EditionDeps, actor: Actor, edition: Edition): Promise<Edition> {
  const post = await postOf(deps, edition.post);
  checkApprover(edition, actor.id, approvalNeeded(edition, post), actor.roles);
  return transition(
    deps,
    actor,
    edition,
    'approve',
    { approver: actor.id, changedBy: [] },
    'edition.approved',
  );
}

/** Back to draft with the approver's comment, kept on the edition for its editors. */
export async function sendBackEdition(
  deps: EditionDeps,
  actor: Actor,
  edition: Edition,
  comment: string,
): Promise<Edition> {
  const needed = approvalNeeded(edition, await postOf(deps, edition.post));
  const allowed = needed === 'spokesperson' ? ['spokesperson'] : ['post-approver', 'spokesperson', 'admin'];
  if (!actor.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(`only a ${needed ?? 'post-approver'} sends this edition back`);
  }
  const note = { at: deps.clock.now().toISOString(), by: actor.id, text: comment };
  return transition(
    deps,
    actor,
    edition,
    'send-back',
    { comments: [...(edition.comments ?? []), note] },
    'edition.sent-back',
  );
}

export async function scheduleEdition(
  deps: EditionDeps,
  actor: Actor,
  edition: Edition,
  at?: string,
): Promise<Edition> {
  const now = deps.clock.now();
  // A time without an offset is the post's local time (09:00 in Tokyo is 00:00Z).
  const when = at ? parseLocalOrInstant(at, (await postOf(deps, edition.post)).timezone) : now;
  if (when.getTime() < now.getTime() - 60_000) throw new ValidationError('at is in the past');
  await renderAll(deps, edition); // an edition that does not render cannot be scheduled
  return transition(
    deps,
    actor,
    edition,
    'schedule',
    { scheduledAt: when.toISOString() },
    'edition.scheduled',
    {
      at: when.toISOString(),
    },
  );
}

/** When a scheduled edition goes out, in its post's local time and in UTC (for answers). */
export async function scheduledTime(
  deps: Pick<EditionDeps, 'posts'>,
  edition: Pick<Edition, 'post' | 'scheduledAt'>,
): Promise<ZonedTime | undefined> {
  if (!edition.scheduledAt) return undefined;
  const post = await deps.posts.get(edition.post);
  return zonedTime(new Date(edition.scheduledAt), post?.timezone ?? 'UTC');
}

export async function cancelEdition(deps: EditionDeps, actor: Actor, edition: Edition): Promise<Edition> {
  return transition(deps, actor, edition, 'cancel', {}, 'edition.cancelled');
}

/**
 * Clones an edition into a post as a new draft. An HQ edition becomes one variant
 * per audience of the post for each language both have: the post then personalises.
 */
export async function cloneEdition(
  deps: EditionDeps,
  actor: Actor,
  source: Edition,
  targetPost: string,
): Promise<Edition> {
  const post = await postOf(deps, targetPost);
  let variants: Variant[];
  if (source.post === targetPost) {
    variants = [...source.variants];
  } else {
    const byLanguage = new Map<string, Variant>();
    for (const v of source.variants) if (!byLanguage.has(v.language)) byLanguage.set(v.language, v);
    variants = post.languages.flatMap((language) => {
      const v = byLanguage.get(language);
      return v ? post.audiences.map((a) => ({ ...v, audience: a.id })) : [];
    });
    if (variants.length === 0) {
      throw new ValidationError(
        `${targetPost} offers none of the edition's languages (${[...byLanguage.keys()].join(', ')})`,
      );
    }
  }
  return createEdition(
    deps,
    actor,
    targetPost,
    {
      title: source.title,
      sensitive: source.sensitive,
      ...(source.layout ? { layout: source.layout } : {}),
      variants,
    },
    source.id,
  );
}

/** Renders every variant (once each) and stores the result for sending and the web version. */
export async function renderAll(deps: EditionDeps, edition: Edition): Promise<RenderedVariant[]> {
  const post = await postOf(deps, edition.post);
  const out: RenderedVariant[] = [];
  for (const variant of edition.variants) {
    const rendered = await deps.renderer.render(post, edition, variant);
    await deps.editions.putRender(edition.id, rendered);
    out.push(rendered);
  }
  return out;
}

/** One variant's render, from the store when it is current, else rendered now. */
export async function variantRender(
  deps: EditionDeps,
  edition: Edition,
  audience: string,
  language: string,
): Promise<RenderedVariant> {
  const variant = edition.variants.find((v) => v.audience === audience && v.language === language);
  if (!variant)
    throw new NotFoundError(`edition ${edition.id} has no variant ${quoted(`${audience}/${language}`)}`);
  const stored = await deps.editions.getRender(edition.id, audience, language);
  if (stored && stored.revision === edition.revision && stored.format === RENDER_FORMAT) return stored;
  const rendered = await deps.renderer.render(await postOf(deps, edition.post), edition, variant);
  await deps.editions.putRender(edition.id, rendered);
  return rendered;
}

/**
 * The render a send goes on with: the stored one for this revision, whatever format it
 * was rendered in (a deploy that changes the format mid-send must not stop the send,
 * and everyone of one send gets the same message); rendered only when missing.
 */
export async function sendingRender(
  deps: EditionDeps,
  edition: Edition,
  audience: string,
  language: string,
): Promise<RenderedVariant> {
  const stored = edition.variants.some((v) => v.audience === audience && v.language === language)
    ? await deps.editions.getRender(edition.id, audience, language)
    : undefined;
  if (stored && stored.revision === edition.revision) return stored;
  return variantRender(deps, edition, audience, language);
}

/** Renders and stores each variant whose stored render is missing or stale (before sending). */
export async function currentRenders(deps: EditionDeps, edition: Edition): Promise<void> {
  for (const v of edition.variants) await variantRender(deps, edition, v.audience, v.language);
}

/**
 * What a reader's link shows (the web version, a click's targets): the render stored
 * when the variant was sent or test-sent, as the email had it, never rendered again
 * here; so the reader routes need no renderer (nor MJML in their Lambda's bundle).
 * NotFoundError when the edition has no such variant or it was never rendered.
 */
export async function storedRender(
  deps: Pick<EditionDeps, 'editions'>,
  edition: Edition,
  audience: string,
  language: string,
): Promise<RenderedVariant> {
  const stored = edition.variants.some((v) => v.audience === audience && v.language === language)
    ? await deps.editions.getRender(edition.id, audience, language)
    : undefined;
  if (!stored) throw new NotFoundError(`edition ${edition.id} has no render of ${audience}/${language}`);
  return stored;
}
