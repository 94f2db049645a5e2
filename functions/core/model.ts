import * as z from 'zod';
import { isTimeZone } from './local-time';

/**
 * The domain's entities, as zod schemas: the same definitions validate seeds, files
 * and request bodies, and give the TypeScript types. Editions, content items, send
 * records and counters join here as their issues land (docs/data-model.md has them
 * all).
 */

/** Languages a newsletter can be written in: central content is FR/NL/EN, labels add DE. */
export const LANGUAGES = ['fr', 'nl', 'en', 'de'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const AUDIENCE_KINDS = ['economic', 'cultural', 'consular', 'custom'] as const;
export const AudienceKind = z.enum(AUDIENCE_KINDS);
export type AudienceKind = z.infer<typeof AudienceKind>;

/** Lower-case slug: post codes and audience ids appear in keys and URLs. */
export const Slug = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{1,39}$/,
    'must be 2-40 lowercase letters, digits or dashes, starting with a letter',
  );

export const Audience = z.object({
  id: Slug,
  kind: AudienceKind,
  name: z.string().trim().min(1).max(120),
  /** The name in each language readers get it in; `name` where one is missing. */
  names: z.partialRecord(Language, z.string().trim().min(1).max(120)).optional(),
  description: z.string().max(500).optional(),
  /** A sensitive list: no per-person engagement is kept or shown for its members, only counts. */
  aggregateOnly: z.boolean().optional(),
});
export type Audience = z.infer<typeof Audience>;

export const Post = z
  .object({
    code: Slug,
    name: z.string().trim().min(1).max(160),
    /** The name in each of its languages (pages, emails); `name` where one is missing. */
    names: z.partialRecord(Language, z.string().trim().min(1).max(160)).optional(),
    kind: z.enum(['embassy', 'consulate', 'permanent-representation', 'headquarters']),
    country: z.string().length(2).toUpperCase(),
    city: z.string().trim().min(1).max(80),
    continent: z.enum(['africa', 'americas', 'asia', 'europe', 'oceania']),
    /** IANA zone: a schedule time without an offset is this post's local time. */
    timezone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Tokyo or Europe/Brussels'),
    languages: z.array(Language).min(1),
    defaultLanguage: Language,
    branding: z.object({
      primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d3b6f'),
      logoUrl: z.url({ protocol: /^https?$/ }),
    }),
    sender: z.object({ name: z.string().min(1).max(120), address: z.email() }),
    /** Where replies to its messages go (Reply-To on every message): the post's own mailbox. */
    replyTo: z.email(),
    postalAddress: z.string().min(1).max(300),
    /** A second person must approve an edition before it can be sent. */
    requiresApproval: z.boolean(),
    audiences: z.array(Audience).min(1),
    /** The welcome message's short text per language (after confirming); a default label otherwise. */
    welcome: z.partialRecord(Language, z.string().trim().min(1).max(2000)).optional(),
  })
  .superRefine((post, ctx) => {
    if (!post.languages.includes(post.defaultLanguage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultLanguage'],
        message: 'must be one of the post languages',
      });
    }
    const ids = new Set<string>();
    post.audiences.forEach((a, i) => {
      if (ids.has(a.id))
        ctx.addIssue({ code: 'custom', path: ['audiences', i, 'id'], message: 'duplicate id' });
      ids.add(a.id);
    });
  });
export type Post = z.infer<typeof Post>;

/**
 * A post's or audience's name as a reader of `language` reads it: every word of a
 * variant in its language ("Ambassade de Belgique au Japon", not "Embassy of ...").
 */
export const nameIn = (
  named: { readonly name: string; readonly names?: Partial<Record<Language, string>> | undefined },
  language: string | undefined,
): string => {
  const parsed = Language.safeParse(language);
  return (parsed.success ? named.names?.[parsed.data] : undefined) ?? named.name;
};

export const SUBSCRIPTION_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export const SubscriptionStatus = z.enum(SUBSCRIPTION_STATUSES);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

/** What GDPR asks us to be able to prove: when, how, and to which wording a person agreed. */
export const Consent = z.object({
  at: z.iso.datetime(),
  source: z.string().min(1).max(80),
  wording: z.string().max(80).optional(),
});
export type Consent = z.infer<typeof Consent>;

export interface Subscriber {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly language: Language;
  readonly consent: Consent;
  readonly createdAt: string;
  /**
   * Someone who signed up and never confirmed is not kept: their profile and address
   * claim expire with their pending subscriptions (epoch seconds, DynamoDB TTL), unless
   * a confirmation clears it.
   */
  readonly expiresAt?: number;
}

/**
 * The evidence behind one subscription (GDPR: when, how, to which words, confirmed
 * when, from which client). `textId` names the exact consent text shown, stored once
 * per version; `client` is a salted hash, never an IP address.
 */
export interface SubscriptionConsent {
  /** When the person asked (form post, or the import's OPTIN_TIME). */
  readonly at: string;
  /** Which form or import: `form:<post>`, `import:mailchimp:<file>`, `staff:<actor>`, `seed`. */
  readonly source: string;
  readonly textId?: string;
  /** When the person confirmed (double opt-in), or the import's CONFIRM_TIME. */
  readonly confirmedAt?: string;
  readonly client?: string;
}

export interface Subscription {
  readonly subscriberId: string;
  readonly post: string;
  readonly audience: string;
  readonly language: Language;
  readonly status: SubscriptionStatus;
  readonly updatedAt: string;
  readonly consent?: SubscriptionConsent;
  /** Pending subscriptions expire (epoch seconds, DynamoDB TTL) unless confirmed. */
  readonly expiresAt?: number;
  /** Tags brought by an import (Mailchimp's TAGS), for a post's later use; capped. */
  readonly tags?: readonly string[];
  /** An imported audience's own merge fields (name → value, e.g. Mailchimp's "Birthday"); capped. */
  readonly fields?: Readonly<Record<string, string>>;
}

/** `erased`: a GDPR erasure left only a keyed hash of the address (never mailed, never re-imported). */
export const SUPPRESSION_REASONS = ['bounce', 'complaint', 'manual', 'erased'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface Suppression {
  readonly email: string;
  readonly reason: SuppressionReason;
  readonly at: string;
  readonly detail?: string;
}

/** Addresses are compared trimmed and lower-cased: one person, one key. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Headquarters' pseudo-post: HQ editions and broadcasts use the post model and routes. */
export const HQ_POST = 'hq';
