import * as z from 'zod';
import type { Actor } from '../core/access';
import { typedLine, typedText } from '../core/control-chars';
import { ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import { LANGUAGES, Language, type Post, Slug } from '../core/model';
import type { PostRepository } from '../core/ports';
import { parseInput } from '../core/validation';
import type { Edition } from '../editions/model';
import type { SubscriberRepository } from '../subscribers/ports';
import { broadcastLanguage, type DispatchDeps } from './dispatch';
import { BATCH_SIZE, type SendBatchMessage } from './model';

/**
 * A crisis alert: a short urgent message to the consular audiences of one or more
 * posts. It skips the newsletter review (it is sent by the spokesperson or an admin,
 * and audited), and its batches go on the crisis queue, which workers drain before
 * the send queue: it starts within seconds even behind a large newsletter.
 *
 * Everyone is reached, whatever languages the alert is written in: each confirmed
 * consular member gets one message, in the language `alertLanguage` picks. The plan
 * (who gets which language, from which post) is made before anything is written, so
 * it can be shown first, and an alert goes to all its posts or to none.
 */

/** As an edition's fields: shown in mail clients and terminals (`edition list`); the subject is one line. */
const Message = z.strictObject({
  subject: z.string().max(150).transform(typedLine).pipe(z.string().trim().min(1).max(150)),
  text: z.string().max(3000).transform(typedText).pipe(z.string().trim().min(1).max(3000)),
});

export const CrisisInput = z.strictObject({
  posts: z.array(Slug).min(1).max(200),
  messages: z
    .partialRecord(Language, Message)
    .refine((m) => Object.keys(m).length > 0, 'give the alert in at least one language'),
});
export type CrisisInput = z.infer<typeof CrisisInput>;

export function parseCrisisInput(raw: unknown, where = 'alert'): CrisisInput {
  return parseInput(CrisisInput, raw, where);
}

/** When the alert has neither the person's languages nor the post's: the first of these it has. */
export const CRISIS_LANGUAGE_ORDER: readonly Language[] = ['en', 'fr', 'nl', 'de'];

/**
 * The language a person gets an alert in: the broadcast rule (their preferred
 * language if the alert has it, else the language of their subscription), then the
 * post's languages in the post's order, then English, French, Dutch, German.
 */
export function alertLanguage(
  alert: readonly Language[],
  preferred: Language,
  subscribed: readonly Language[],
  post: Pick<Post, 'languages'>,
): Language {
  const ordered = CRISIS_LANGUAGE_ORDER.filter((l) => alert.includes(l));
  // `ordered` is never empty (an alert has a language): the rule always finds one.
  return broadcastLanguage(ordered, preferred, [...subscribed, ...post.languages]) ?? 'en';
}

export type LanguageCounts = Partial<Record<Language, number>>;

/** Who of one post gets the alert, in which language. */
export interface PostPlan {
  readonly post: string;
  readonly recipients: number;
  readonly byLanguage: LanguageCounts;
  /** People whose preferred language the alert lacks: they get another (see alertLanguage). */
  readonly fallback: number;
  /** Confirmed members reached already through a post listed before (or another audience): sent once. */
  readonly duplicates: number;
  /** The post's consular audiences (the edition's variants). */
  readonly audiences: readonly string[];
  /** Recipient ids by audience and language, for the batches. */
  readonly groups: readonly { audience: string; language: Language; ids: readonly string[] }[];
}

export interface CrisisPlan {
  readonly input: CrisisInput;
  readonly posts: readonly PostPlan[];
}

/** What the API answers and the CLI shows: counts per post and language, no ids. */
export interface CrisisSummary {
  readonly recipients: number;
  readonly byLanguage: LanguageCounts;
  readonly fallback: number;
  readonly duplicates: number;
  readonly posts: readonly (Omit<PostPlan, 'groups' | 'audiences'> & { edition?: string })[];
}

export interface CrisisDeps extends DispatchDeps {
  readonly posts: Pick<PostRepository, 'get'>;
  readonly subscribers: Pick<SubscriberRepository, 'getMany'>;
}

const add = (counts: LanguageCounts, language: Language, n = 1) => {
  counts[language] = (counts[language] ?? 0) + n;
};

/**
 * Reads every post's confirmed consular members (in every language, so nobody is
 * left out for the language they subscribed in) and assigns each person once: to
 * the first post listed and audience they are a member of, in their alert language.
 */
export async function planCrisisAlert(
  deps: Pick<CrisisDeps, 'posts' | 'subscribers' | 'recipients'>,
  input: CrisisInput,
): Promise<CrisisPlan> {
  const codes = [...new Set(input.posts)];
  const posts: Post[] = [];
  for (const code of codes) {
    const post = await deps.posts.get(code);
    if (!post) throw new ValidationError(`posts: no post "${code}"`);
    if (!post.audiences.some((a) => a.kind === 'consular'))
      throw new ValidationError(`posts: ${code} has no consular audience`);
    posts.push(post);
  }
  const alert = Object.keys(input.messages) as Language[];
  const reached = new Set<string>();
  const plans: PostPlan[] = [];
  for (const post of posts) {
    // id -> the audience that reaches them here, and the languages they subscribed in.
    const members = new Map<string, { audience: string; languages: Language[] }>();
    const inTwoAudiences = new Set<string>();
    const audiences = post.audiences.filter((a) => a.kind === 'consular').map((a) => a.id);
    for (const audience of audiences) {
      for (const language of LANGUAGES) {
        for (const id of await allMembers(deps, post.code, audience, language)) {
          const member = members.get(id);
          if (!member) members.set(id, { audience, languages: [language] });
          else if (member.audience === audience) member.languages.push(language);
          else inTwoAudiences.add(id);
        }
      }
    }
    let duplicates = 0;
    for (const id of members.keys()) {
      if (reached.has(id)) {
        members.delete(id); // sent from the post listed before
        duplicates++;
      } else if (inTwoAudiences.has(id)) duplicates++;
    }
    const profiles = await deps.subscribers.getMany([...members.keys()]);
    const groups = new Map<string, { audience: string; language: Language; ids: string[] }>();
    const byLanguage: LanguageCounts = {};
    let fallback = 0;
    for (const [id, member] of members) {
      const profile = profiles.get(id);
      if (!profile) continue; // gone since: nobody to write to
      reached.add(id);
      const language = alertLanguage(alert, profile.language, member.languages, post);
      if (language !== profile.language) fallback++;
      add(byLanguage, language);
      const key = `${member.audience}/${language}`;
      const group = groups.get(key) ?? { audience: member.audience, language, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    plans.push({
      post: post.code,
      recipients: [...groups.values()].reduce((n, g) => n + g.ids.length, 0),
      byLanguage,
      fallback,
      duplicates,
      audiences,
      groups: [...groups.values()],
    });
  }
  return { input: { ...input, posts: codes }, posts: plans };
}

async function allMembers(
  deps: Pick<CrisisDeps, 'recipients'>,
  post: string,
  audience: string,
  language: Language,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.recipients.confirmedMembers(post, audience, language, {
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

export function summariseCrisis(plan: CrisisPlan, editions: readonly Edition[] = []): CrisisSummary {
  const byLanguage: LanguageCounts = {};
  for (const p of plan.posts)
    for (const [language, n] of Object.entries(p.byLanguage)) add(byLanguage, language as Language, n);
  const sum = (f: (p: PostPlan) => number) => plan.posts.reduce((n, p) => n + f(p), 0);
  return {
    recipients: sum((p) => p.recipients),
    byLanguage,
    fallback: sum((p) => p.fallback),
    duplicates: sum((p) => p.duplicates),
    posts: plan.posts.map(({ groups: _groups, audiences: _audiences, ...p }) => {
      const edition = editions.find((e) => e.post === p.post);
      return edition ? { ...p, edition: edition.id } : p;
    }),
  };
}

/**
 * Sends a planned alert: one edition per post (its sender and branding), each
 * recipient queued once on the crisis queue with the language of the plan. Nothing
 * is written when the plan reaches nobody.
 */
export async function startCrisisAlert(deps: CrisisDeps, actor: Actor, plan: CrisisPlan): Promise<Edition[]> {
  if (plan.posts.every((p) => p.recipients === 0))
    throw new ValidationError(
      `nobody to alert: the consular audiences of ${plan.posts.map((p) => p.post).join(', ')} have no confirmed members`,
    );
  const now = deps.clock.now().toISOString();
  const started: { edition: Edition; plan: PostPlan }[] = [];
  try {
    for (const p of plan.posts) {
      const edition = crisisEdition(plan.input, p, actor, now);
      // Counted before the edition exists, so it never looks finished early; the pending
      // step ends once its batches are queued: until then it stays "sending", never
      // "sent" with people not mailed.
      await deps.progress.step(edition.id, 'crisis', p.recipients, p.duplicates);
      await deps.progress.add(edition.id, { dispatchPending: 1 });
      await deps.editions.create(edition);
      started.push({ edition, plan: p });
      // Rendered before anything is queued (a failure cancels them all, below).
      await deps.prepare?.(edition);
    }
  } catch (error) {
    // All posts or none: the editions made so far are cancelled before anything is queued.
    for (const { edition } of started) {
      const cancelled = { ...edition, status: 'cancelled' as const, version: edition.version + 1 };
      await deps.editions.save(cancelled, edition.version).catch(() => undefined);
    }
    throw error;
  }
  for (const { edition, plan: p } of started) {
    const batches = p.groups.flatMap((g) =>
      chunks(g.ids).map(
        (subscriberIds): SendBatchMessage => ({
          kind: 'send',
          editionId: edition.id,
          audience: g.audience,
          language: g.language,
          subscriberIds,
        }),
      ),
    );
    if (batches.length) await deps.queues.crisis.send(batches);
    await deps.progress.add(edition.id, { dispatchPending: -1 });
    await deps.audit.record({
      id: newId('au'),
      at: now,
      actor: actor.id,
      action: 'edition.sending',
      post: p.post,
      target: { type: 'edition', id: edition.id },
      detail: {
        priority: 'crisis',
        recipients: p.recipients,
        languages: Object.entries(p.byLanguage)
          .map(([l, n]) => `${l}:${n}`)
          .join(' '),
      },
    });
  }
  return started.map((s) => s.edition);
}

const chunks = (ids: readonly string[]): string[][] => {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH_SIZE) out.push(ids.slice(i, i + BATCH_SIZE));
  return out;
};

/** One post's edition of the alert: a variant per consular audience and alert language. */
function crisisEdition(input: CrisisInput, p: PostPlan, actor: Actor, now: string): Edition {
  const languages = Object.keys(input.messages) as Language[];
  const first = input.messages[languages[0] as Language];
  return {
    id: newId('ed'),
    post: p.post,
    title: `Crisis alert: ${first?.subject ?? ''}`,
    status: 'sending',
    sensitive: true,
    priority: 'crisis',
    author: actor.id,
    approver: actor.id,
    scheduledAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
    revision: 1,
    variants: p.audiences.flatMap((audience) =>
      languages.map((language) => {
        const m = input.messages[language] as { subject: string; text: string };
        return {
          audience,
          language,
          subject: m.subject,
          preheader: m.text.slice(0, 120),
          intro: '',
          blocks: [{ type: 'consular' as const, title: m.subject, text: m.text }],
        };
      }),
    ),
  };
}

/** Plans and sends an alert: the API's POST /crisis. */
export async function sendCrisisAlert(
  deps: CrisisDeps,
  actor: Actor,
  input: CrisisInput,
): Promise<{ editions: Edition[]; summary: CrisisSummary }> {
  const plan = await planCrisisAlert(deps, input);
  const editions = await startCrisisAlert(deps, actor, plan);
  return { editions, summary: summariseCrisis(plan, editions) };
}
