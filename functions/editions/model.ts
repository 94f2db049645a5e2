import * as z from 'zod';
import { CONTENT_TEXT_LIMITS } from '../content/limits';
import { STORY_PATTERN, storyItemId } from '../content/story';
import { typedLine, typedText } from '../core/control-chars';
import { ConflictError, ForbiddenError, ValidationError } from '../core/errors';
import { HQ_POST, Language, type Post } from '../core/model';
import { parseInput } from '../core/validation';

/**
 * Editions and their variants. An edition belongs to a post (or to "hq", the
 * headquarters pseudo-post); it has one variant per audience and language, each an
 * ordered list of blocks. Statuses follow listmonk's clear vocabulary:
 *
 *   draft → in-review → approved → scheduled → sending → sent
 *                  (any of the first four) → cancelled
 *
 * Any change to an edition in review, approved or scheduled sends it back to draft
 * when the post needs no approval, or to in-review when it does.
 */

export const EDITION_STATUSES = [
  'draft',
  'in-review',
  'approved',
  'scheduled',
  'sending',
  'sent',
  'cancelled',
] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];

/**
 * What people type is shown in mail clients and terminals (`edition list`): control
 * characters (an ESC sequence would run there) and bidi overrides (which reorder what
 * a reader sees) are removed; one-line fields lose line breaks too.
 */
/**
 * A one-line text: at most `max` characters as typed (the published schema says so),
 * then cleaned and trimmed.
 */
const text = (max: number) =>
  z.string().min(1).max(max).transform(typedLine).pipe(z.string().trim().min(1).max(max));
/** Paragraphs (blank-line separated): bounded, so one block cannot make a render too heavy to send. */
const MAX_PARAGRAPHS = 60;
const paragraphsText = (max: number, required: boolean) =>
  z
    .string()
    .min(required ? 1 : 0)
    .max(max)
    .transform(typedText)
    .pipe(
      z
        .string()
        .trim()
        .min(required ? 1 : 0)
        .max(max),
    )
    .refine((v) => v.split(/\n\s*\n/).length <= MAX_PARAGRAPHS, `at most ${MAX_PARAGRAPHS} paragraphs`);
const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => /^https?:\/\/[^\s"'<>]+$/i.test(v), 'must be an http(s) URL');
const contentId = z
  .string()
  .regex(/^[a-z]{2}-[A-Za-z0-9_-]{10,40}$/, 'must be a content item id')
  .meta({
    description: 'A central content item id, in the language of the variant (`missive content list`)',
  });
const storyRef = z
  .string()
  .max(2000)
  .regex(STORY_PATTERN, 'must be a story id: the feed guid with {lang} for its language')
  .meta({
    description:
      'A central story in every language: the feed guid (or link) with {lang} in place of its language code, as `missive content list` shows it. Each variant takes the story in its own language.',
  });

/**
 * One central item: by its id, or by its story (the variant's language is taken); and,
 * optionally, the post's own words for it (shown instead of HQ's; HQ sees the
 * difference: the on-the-record rule, editions/wording.ts). As long as the item's own.
 */
const centralRef = {
  item: contentId.optional(),
  story: storyRef.optional(),
  title: text(CONTENT_TEXT_LIMITS.title).optional().meta({
    description: "The post's own title for the item, shown instead of HQ's (HQ sees the difference)",
  }),
  summary: text(CONTENT_TEXT_LIMITS.summary).optional().meta({
    description: "The post's own summary for the item, shown instead of HQ's (HQ sees the difference)",
  }),
};

/** Blocks as written (strict: an unknown key is a mistake, refused with its path). */
const BlockInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('central'), ...centralRef }),
  z.strictObject({ type: z.literal('famous-belgian'), ...centralRef }),
  z.strictObject({
    type: z.literal('events'),
    title: text(120).optional(),
    /** Central events by id, and/or local events written by the post. */
    items: z.array(contentId).max(20).default([]),
    local: z
      .array(
        z.strictObject({
          title: text(200),
          start: z.iso.datetime({ offset: true }),
          end: z.iso.datetime({ offset: true }).optional(),
          place: text(200).optional(),
          link: httpsUrl.optional(),
        }),
      )
      .max(20)
      .default([]),
  }),
  z.strictObject({
    type: z.literal('local'),
    title: text(200),
    text: paragraphsText(5000, true),
    image: httpsUrl.optional(),
  }),
  z.strictObject({ type: z.literal('consular'), title: text(200), text: paragraphsText(3000, true) }),
  z.strictObject({ type: z.literal('cta'), label: text(60), url: httpsUrl }),
]);
type BlockInput = z.output<typeof BlockInput>;
type Central = Extract<BlockInput, { type: 'central' | 'famous-belgian' }>;
/** A block as stored and rendered: a central block always names its item (a story's, in the variant's language). */
export type Block =
  | Exclude<BlockInput, Central>
  | (Omit<Central, 'item'> & { readonly item: string; readonly story?: string });

const AUDIENCE = /^[a-z][a-z0-9-]{1,39}$/;

export const VariantInput = z
  .strictObject({
    audience: z.string().regex(AUDIENCE),
    language: Language,
    /**
     * The heading in this variant's language. Without it the edition's title is shown
     * only in the post's default language (it is written in that one), and no heading
     * in the others: never a title in another language.
     */
    title: text(200).optional().meta({
      description:
        "The heading of this variant, in its language. Without it, the edition's title is shown in the post's default language only, and no heading in the others.",
    }),
    subject: text(150),
    preheader: z.string().max(200).transform(typedLine).pipe(z.string().trim().max(200)).default(''),
    intro: paragraphsText(3000, false).default(''),
    blocks: z.array(BlockInput).min(1).max(30),
  })
  .transform((v, ctx) => {
    const blocks: Block[] = [];
    for (const [i, b] of v.blocks.entries()) {
      if (b.type !== 'central' && b.type !== 'famous-belgian') {
        blocks.push(b);
        continue;
      }
      // A story names the item of the variant's language; it wins over an item id shown beside it.
      const item = b.story ? storyItemId(b.story, v.language) : b.item;
      if (!item) {
        ctx.addIssue({
          code: 'custom',
          path: ['blocks', i, 'item'],
          message: 'a central block needs "item" (a content id) or "story"',
        });
        return z.NEVER;
      }
      blocks.push({
        type: b.type,
        item,
        ...(b.story ? { story: b.story } : {}),
        ...(b.title ? { title: b.title } : {}),
        ...(b.summary ? { summary: b.summary } : {}),
      });
    }
    return { ...v, blocks };
  });
export type Variant = z.output<typeof VariantInput>;

const EDITION_FIELDS = {
  /** The JSON Schema a file names for editors' completion; not stored. */
  $schema: z.string().max(2000).optional(),
  title: text(200),
  sensitive: z.boolean().default(false),
  /** Optional layout registered by HQ; the default layout otherwise. */
  layout: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,39}$/)
    .optional(),
  variants: z.array(VariantInput).min(1).max(60),
};

/** What a person writes: `edition create`/`update --file`, POST /posts/{code}/editions. */
export const EditionInput = z.strictObject(EDITION_FIELDS);
export type EditionInput = z.output<typeof EditionInput>;

/**
 * An edition as `edition show --json` and GET print it, taken back by `edition update`
 * and PUT: the fields a person writes, and those the service keeps, which are read
 * only (the `version` read makes the update conditional: a newer one stored is a
 * conflict). Still strict: a misspelt key is refused with its path.
 */
export const EditionDocument = z.strictObject({
  ...EDITION_FIELDS,
  id: z.string().optional(),
  post: z.string().optional(),
  status: z.enum(EDITION_STATUSES).optional(),
  author: z.string().optional(),
  approver: z.string().optional(),
  changedBy: z.array(z.string()).optional(),
  scheduledAt: z.string().optional(),
  clonedFrom: z.string().optional(),
  priority: z.literal('crisis').optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  version: z.number({ error: 'must be a number' }).int().optional(),
  revision: z.number().int().optional(),
  comments: z.array(z.strictObject({ at: z.string(), by: z.string(), text: z.string() })).optional(),
});
export type EditionDocument = z.output<typeof EditionDocument>;

/** An approver's word on sending an edition back to its editors. */
export interface ReviewComment {
  readonly at: string;
  readonly by: string;
  readonly text: string;
}

export interface Edition {
  readonly id: string;
  readonly post: string;
  readonly title: string;
  readonly status: EditionStatus;
  readonly sensitive: boolean;
  readonly layout?: string;
  readonly author: string;
  readonly approver?: string;
  /**
   * Who changed the content since its last approval (creator, cloner, editors): none
   * of them may approve it. Emptied by an approval; absent on editions stored before it.
   */
  readonly changedBy?: readonly string[];
  readonly scheduledAt?: string;
  readonly clonedFrom?: string;
  /** Crisis alerts are sent ahead of any newsletter already queued. */
  readonly priority?: 'crisis';
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Incremented on every write; updates name the version they read (optimistic concurrency). */
  readonly version: number;
  /** Incremented when the content changes (not on status changes): renders are current for one revision. */
  readonly revision: number;
  readonly variants: readonly Variant[];
  /** Approvers' comments when sending it back, oldest first: kept on the edition. */
  readonly comments?: readonly ReviewComment[];
}

/** Validation with the path of the first wrong field: "variants.2.blocks.0.url: must be an http(s) URL". */
/** An edition is one DynamoDB item (400 KB at most), with room for its status and history. */
const MAX_EDITION_BYTES = 256 * 1024;

export function parseEditionInput(raw: unknown, where = 'edition'): EditionInput {
  return checkEdition(parseInput(EditionInput, raw, where), where);
}

/** The fields a person writes, without the `$schema` reference (it is not stored). */
function checkEdition(parsed: EditionInput, where: string): EditionInput {
  const { $schema: _reference, ...input } = parsed;
  const bytes = Buffer.byteLength(JSON.stringify(input), 'utf8');
  if (bytes > MAX_EDITION_BYTES)
    throw new ValidationError(
      `${where}: ${Math.ceil(bytes / 1024)} KB of content, over the ${MAX_EDITION_BYTES / 1024} KB an edition holds: split it, or use fewer variants`,
    );
  const seen = new Set<string>();
  for (const [i, v] of input.variants.entries()) {
    const key = `${v.audience}/${v.language}`;
    if (seen.has(key)) throw new ValidationError(`${where}: variants.${i}: a second variant for ${key}`);
    seen.add(key);
  }
  return input;
}

/**
 * An edition as shown (`edition show --json`, GET: `{"edition": {...}}` or the edition
 * itself) or as written: the input, and the id and version it was read at, if given.
 */
export function parseEditionDocument(
  raw: unknown,
  where = 'edition',
): { input: EditionInput; id?: string; version?: number } {
  const wrapped =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 1
      ? (raw as { edition?: unknown }).edition
      : undefined;
  const doc = parseInput(EditionDocument, wrapped ?? raw, wrapped ? `${where}: edition` : where);
  const { title, sensitive, layout, variants, $schema } = doc;
  return {
    input: checkEdition(
      { title, sensitive, variants, ...(layout ? { layout } : {}), ...($schema ? { $schema } : {}) },
      where,
    ),
    ...(doc.id !== undefined ? { id: doc.id } : {}),
    ...(doc.version !== undefined ? { version: doc.version } : {}),
  };
}

/** Every variant must target an audience and language the post has. */
export function checkVariantsFit(input: EditionInput, post: Post): void {
  for (const [i, v] of input.variants.entries()) {
    if (!post.audiences.some((a) => a.id === v.audience)) {
      throw new ValidationError(`variants.${i}.audience: "${v.audience}" is not an audience of ${post.code}`);
    }
    if (!post.languages.includes(v.language)) {
      throw new ValidationError(`variants.${i}.language: ${post.code} does not offer "${v.language}"`);
    }
  }
}

/** Who must approve: spokesperson for HQ and sensitive editions, a post approver when the post asks for it. */
export function approvalNeeded(
  edition: Pick<Edition, 'post' | 'sensitive'>,
  post: Pick<Post, 'requiresApproval'>,
) {
  if (edition.post === HQ_POST || edition.sensitive) return 'spokesperson' as const;
  return post.requiresApproval ? ('post-approver' as const) : undefined;
}

const EDITABLE: readonly EditionStatus[] = ['draft', 'in-review', 'approved', 'scheduled'];

export type Transition =
  | 'update'
  | 'submit'
  | 'approve'
  | 'schedule'
  | 'cancel'
  | 'start-sending'
  | 'finish-sending'
  | 'send-back';

/**
 * The status an edition moves to, or a ConflictError saying why it cannot.
 * `needsApproval`: whether this edition needs a second person's approval.
 */
export function nextStatus(
  current: EditionStatus,
  transition: Transition,
  needsApproval: boolean,
): EditionStatus {
  const refuse = (why: string): never => {
    throw new ConflictError(`cannot ${transition} an edition that is ${current}: ${why}`);
  };
  switch (transition) {
    case 'update':
      if (!EDITABLE.includes(current)) refuse('it can no longer change');
      return current === 'draft' ? 'draft' : needsApproval ? 'in-review' : 'draft';
    case 'submit':
      if (current !== 'draft') refuse('only a draft is submitted');
      return needsApproval ? 'in-review' : 'approved';
    case 'approve':
      if (current !== 'in-review') refuse('only an edition in review is approved');
      return 'approved';
    case 'schedule':
      if (current !== 'approved' && current !== 'scheduled') {
        refuse(needsApproval ? 'it must be approved first' : 'submit it first');
      }
      return 'scheduled';
    case 'cancel':
      if (!EDITABLE.includes(current)) refuse('it has started sending or is over');
      return 'cancelled';
    case 'start-sending':
      if (current !== 'scheduled') refuse('only a scheduled edition starts sending');
      return 'sending';
    case 'finish-sending':
      if (current !== 'sending') refuse('it is not sending');
      return 'sent';
    case 'send-back':
      if (current !== 'in-review') refuse('only an edition in review is sent back');
      return 'draft';
  }
}

/** Who changed the content since its last approval; an edition stored before the record names its creator. */
export const changedSinceApproval = (edition: Pick<Edition, 'author' | 'changedBy'>): readonly string[] =>
  edition.changedBy ?? [edition.author];

/** The record after `actor` changed the content. */
export const changedByAlso = (edition: Pick<Edition, 'author' | 'changedBy'>, actor: string): string[] => [
  ...new Set([...changedSinceApproval(edition), actor]),
];

/**
 * Four eyes: the approver changed nothing since the last approval (neither wrote,
 * cloned nor edited it), and holds the role the edition needs.
 */
export function checkApprover(
  edition: Pick<Edition, 'author' | 'changedBy'>,
  approver: string,
  needed: 'spokesperson' | 'post-approver' | undefined,
  approverRoles: readonly string[],
): void {
  if (!needed) throw new ConflictError('this edition needs no approval: submit it and schedule it');
  if (changedSinceApproval(edition).includes(approver)) {
    throw new ForbiddenError(
      'you changed this edition since its last approval: another approver must approve it',
    );
  }
  const allowed = needed === 'spokesperson' ? ['spokesperson'] : ['post-approver', 'spokesperson', 'admin'];
  if (!approverRoles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(`this edition needs the approval of a ${needed}`);
  }
}

/** What rendering a variant produced, kept for sending and the web version. */
export interface RenderedVariant {
  readonly audience: string;
  readonly language: Language;
  /** The edition revision it was rendered from: a later content change makes it stale. */
  readonly revision: number;
  /** How it was rendered (render/render-variant.ts RENDER_FORMAT): an older format is rendered again. */
  readonly format?: number;
  readonly subject: string;
  /** HTML with per-recipient placeholders (%%NAME%% ...), compiled once per variant. */
  readonly html: string;
  readonly text: string;
  /** Tracked links: %%L<n>%% in html/text stands for links[n]. */
  readonly links: readonly string[];
  /** The central story each link leads to (null: a local link); absent in older renders. */
  readonly linkItems?: readonly (string | null)[];
}

/** What a click needs of a variant: its link targets and the story of each. */
export interface VariantLinks {
  readonly links: readonly string[];
  readonly linkItems: readonly (string | null)[];
}

export interface EditionSummary {
  readonly id: string;
  readonly post: string;
  readonly title: string;
  readonly status: EditionStatus;
  readonly sensitive: boolean;
  readonly author: string;
  readonly scheduledAt?: string;
  readonly updatedAt: string;
  readonly variants: number;
  /** Crisis alerts: the usage reports list them with their delivery time. */
  readonly priority?: 'crisis';
  /**
   * The central items each variant shows (central, famous-Belgian and event blocks), so
   * the usage reports find a story's editions from the list of a post's editions without
   * reading each one. Absent on summaries written before.
   */
  readonly variantItems?: readonly VariantItems[];
}

export interface VariantItems {
  readonly audience: string;
  readonly language: Language;
  readonly items: readonly string[];
}

/** The central content items a variant shows, in block order, each once. */
export function centralItems(variant: Pick<Variant, 'blocks'>): string[] {
  const out: string[] = [];
  for (const b of variant.blocks) {
    if (b.type === 'central' || b.type === 'famous-belgian') out.push(b.item);
    else if (b.type === 'events') out.push(...b.items);
  }
  return [...new Set(out)];
}

export type CentralBlock = Extract<Block, { type: 'central' | 'famous-belgian' }>;

/** A central block in the post's own words (editions/wording.ts: HQ sees the difference). */
export const hasOwnWording = (b: Block): b is CentralBlock =>
  (b.type === 'central' || b.type === 'famous-belgian') && (b.title !== undefined || b.summary !== undefined);

/** The central items an edition puts in its own words, each once: what the store indexes it under. */
export function reworded(edition: Pick<Edition, 'variants'>): string[] {
  return [...new Set(edition.variants.flatMap((v) => v.blocks.filter(hasOwnWording).map((b) => b.item)))];
}

export const summarise = (e: Edition): EditionSummary => ({
  id: e.id,
  post: e.post,
  title: e.title,
  status: e.status,
  sensitive: e.sensitive,
  author: e.author,
  ...(e.scheduledAt ? { scheduledAt: e.scheduledAt } : {}),
  updatedAt: e.updatedAt,
  variants: e.variants.length,
  ...(e.priority ? { priority: e.priority } : {}),
  variantItems: e.variants.map((v) => ({
    audience: v.audience,
    language: v.language,
    items: centralItems(v),
  })),
});

/**
 * Every story a block names has an item in its variant's language, or one line naming
 * the block and the language ("variants.2.blocks.0.story: ... has no nl item"), when
 * the edition is written rather than when it first renders.
 */
export async function checkStories(
  input: EditionInput,
  exists: (itemId: string) => Promise<boolean>,
  where = 'edition',
): Promise<void> {
  for (const [i, v] of input.variants.entries()) {
    for (const [j, b] of v.blocks.entries()) {
      if ((b.type !== 'central' && b.type !== 'famous-belgian') || !b.story) continue;
      if (!(await exists(b.item))) {
        throw new ValidationError(
          `${where}: variants.${i}.blocks.${j}.story: "${b.story}" has no ${v.language} item (see \`missive content list --lang ${v.language}\`)`,
        );
      }
    }
  }
}
