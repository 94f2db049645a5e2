import Handlebars from 'handlebars';
import type { AuditTrail } from '../core/audit';
import { typedLine } from '../core/control-chars';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import type { Mailer } from '../core/mail';
import { HQ_POST, Language, nameIn, normaliseEmail, type Post, type Subscription } from '../core/model';
import type { Clock, PostRepository } from '../core/ports';
import { type LinkClaims, type LinkKey, signLink } from '../core/signed-links';
import { checkAddress } from './address';
import { addressWindowKey, consentText, formAgeSeconds, keyedHash, personId } from './consent';
import type {
  LatestEditions,
  ListGrowth,
  SubscriberRepository,
  SubscribeStore,
  SuppressionRepository,
} from './ports';

/**
 * Double opt-in. A request (the hosted or an embedded form, or staff adding one
 * person) makes pending subscriptions with their consent evidence and mails a signed,
 * expiring confirmation link; confirming makes them confirmed and mails a welcome.
 * The answer never says whether the address was known: callers get no result.
 */

export interface SubscribePolicy {
  /** How long a confirmation link and a pending subscription live (days). */
  readonly confirmDays: number;
  /** A form sent back sooner than this after it was served is a bot's (seconds). */
  readonly minFillSeconds: number;
  /** At most one confirmation mail per address in this window (seconds). */
  readonly addressWindowSeconds: number;
  /** At most this many form posts per client per hour. */
  readonly clientPostsPerHour: number;
}

export const DEFAULT_SUBSCRIBE_POLICY: SubscribePolicy = {
  confirmDays: 7,
  minFillSeconds: 3,
  addressWindowSeconds: 600,
  // Generous: people at one event or office share an address and a browser build.
  clientPostsPerHour: 60,
};

export interface SubscribeDeps {
  readonly posts: PostRepository;
  readonly subscribers: SubscriberRepository;
  readonly suppressions: Pick<SuppressionRepository, 'suppressedAmong'>;
  readonly store: SubscribeStore;
  readonly editions: LatestEditions;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly labels: (language: string) => Readonly<Record<string, string>>;
  readonly links: { readonly baseUrl: string; readonly keys: readonly LinkKey[] };
  readonly policy: SubscribePolicy;
  /** List growth counters (reports): sign-ups and confirmations. */
  readonly growth?: ListGrowth;
}

export interface SubscribeRequest {
  readonly post: string;
  readonly email: string;
  readonly name?: string | undefined;
  readonly language?: string | undefined;
  readonly audiences: readonly string[];
  /** `form:<post>` or `staff:<actor>`. */
  readonly source: string;
  /** Form posts only: what identifies the client (IP and user agent), hashed before use. */
  readonly client?: string | undefined;
  /** The id of the consent text the form showed (its hidden field); else the current text. */
  readonly shownText?: string | undefined;
  /** Form posts only: the honeypot field (people leave it empty) and the form's stamp. */
  readonly honeypot?: string | undefined;
  readonly stamp?: string | undefined;
}

/** What a form request became; callers answer the same to every outcome (it reveals nothing). */
export type SubscribeOutcome = 'sent' | 'ignored';

const salt = (deps: SubscribeDeps) => deps.links.keys[0]?.secret ?? '';

/** The post, or a 404 naming it (a post's code is public: it is in its form's address). */
export async function postFor(deps: Pick<SubscribeDeps, 'posts'>, code: string): Promise<Post> {
  // Nobody subscribes to headquarters' pseudo-post: its broadcasts reach every post's people.
  const post = code === HQ_POST ? undefined : await deps.posts.get(code);
  if (!post) throw new NotFoundError(`no post "${code}"`);
  return post;
}

/** The form's language: the asked one when the post writes in it, else the post's default. */
export const languageFor = (post: Post, asked: string | undefined): Language => {
  const parsed = Language.safeParse(asked);
  return parsed.success && post.languages.includes(parsed.data) ? parsed.data : post.defaultLanguage;
};

/** Checks what the person typed; a ValidationError names the field. */
function checked(post: Post, req: SubscribeRequest) {
  const address = checkAddress(req.email);
  if (!address.ok) throw new ValidationError(`email: ${address.reason}`);
  if (!address.deliverable)
    throw new ValidationError('email: this address has characters our mail service cannot deliver to');
  // No control characters (they would run in a terminal) nor bidi overrides (they reorder a staff list's line).
  const name = typedLine(req.name ?? '').trim();
  if (name.length > 120) throw new ValidationError('name: at most 120 characters');
  const audiences = [...new Set(req.audiences)];
  if (audiences.length === 0) throw new ValidationError('audiences: choose at least one newsletter');
  const unknown = audiences.find((a) => !post.audiences.some((p) => p.id === a));
  if (unknown !== undefined)
    throw new ValidationError(`audiences: "${unknown}" is not a newsletter of ${post.code}`);
  if (req.language !== undefined && req.language !== '') {
    const lang = Language.safeParse(req.language);
    if (!lang.success || !post.languages.includes(lang.data))
      throw new ValidationError(`language: must be one of ${post.languages.join(', ')}`);
  }
  return { email: address.email, name, audiences, language: languageFor(post, req.language) };
}

/**
 * Asks for a subscription. Bots (honeypot filled, form sent back too fast, too many
 * posts from one client) and a second request for an address inside its window are
 * dropped silently; a mistake the person can fix is a ValidationError.
 */
export async function requestSubscription(
  deps: SubscribeDeps,
  req: SubscribeRequest,
): Promise<SubscribeOutcome> {
  const post = await postFor(deps, req.post);
  const now = deps.clock.now();
  const fromForm = req.source.startsWith('form:');
  if (fromForm) {
    if (req.honeypot) return 'ignored';
    const age = formAgeSeconds(req.stamp, deps.links.keys, now);
    if (age === undefined || age < deps.policy.minFillSeconds) return 'ignored';
  }
  const input = checked(post, req);
  if (fromForm && req.client !== undefined) {
    const client = keyedHash(salt(deps), req.client);
    if (!(await deps.store.takeSlot(`client#${client}`, deps.policy.clientPostsPerHour, 3600, now)))
      return 'ignored';
  }
  if ((await deps.suppressions.suppressedAmong([input.email])).size > 0) return 'ignored';
  const at = now.toISOString();
  let subscriber = await deps.subscribers.findByEmail(input.email);
  const mine = subscriber ? await deps.subscribers.subscriptionsOf(subscriber.id) : [];
  const wanted = input.audiences.filter(
    (a) => mine.find((s) => s.post === post.code && s.audience === a)?.status !== 'confirmed',
  );
  // Already confirmed for everything asked: no second mail (and the same answer).
  if (wanted.length === 0) return 'ignored';
  const addressKey = addressWindowKey(salt(deps), input.email);
  if (!(await deps.store.takeSlot(addressKey, 1, deps.policy.addressWindowSeconds, now))) return 'ignored';

  // The exact text the person saw: the form's version when it is one we stored (a copy of
  // the form on a post's site may show an older one), else the current one.
  const shown = req.shownText ? await deps.store.getConsentText(req.shownText) : undefined;
  const text =
    shown ?? consentText(deps.labels(input.language), input.language, nameIn(post, input.language));
  if (!shown) await deps.store.putConsentText({ ...text, at });
  const expiresAt = Math.floor(now.getTime() / 1000) + deps.policy.confirmDays * 86_400;
  if (!subscriber) {
    const created = {
      id: personId(salt(deps), input.email),
      email: input.email,
      name: input.name,
      language: input.language,
      consent: { at, source: req.source.slice(0, 80), wording: text.id },
      createdAt: at,
      // Never confirmed, never kept: the person goes with their pending subscriptions.
      expiresAt,
    };
    try {
      await deps.subscribers.create(created);
      subscriber = created;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // The address is claimed meanwhile (another sign-up, an import): its claim says who the person is.
      const email = normaliseEmail(input.email);
      const claimed = (await deps.subscribers.subscriberIdsByEmail([email])).get(email);
      if (!claimed) throw new Error('address claimed but no claim found');
      // An import may not have written the profile yet: the mail needs only the id and the address.
      subscriber = (await deps.subscribers.get(claimed)) ?? { ...created, id: claimed };
    }
  }
  const client = req.client !== undefined ? keyedHash(salt(deps), req.client) : undefined;
  // A second request while pending is no new sign-up.
  const fresh = wanted.filter(
    (a) => mine.find((s) => s.post === post.code && s.audience === a)?.status !== 'pending',
  ).length;
  for (const audience of wanted) {
    // Never over a confirmed one (an import may have confirmed it since `mine` was read).
    await deps.subscribers.putPending({
      subscriberId: subscriber.id,
      post: post.code,
      audience,
      language: input.language,
      status: 'pending',
      updatedAt: at,
      consent: { at, source: req.source.slice(0, 80), textId: text.id, ...(client ? { client } : {}) },
      expiresAt,
    });
  }
  if (fresh > 0) await deps.growth?.count(post.code, 'list_new', fresh, at);
  const token = signLink(
    { p: 'confirm', s: subscriber.id, o: post.code, g: input.language, x: expiresAt },
    deps.links.keys,
  );
  const labels = deps.labels(input.language);
  const t = label(labels, post, input.language);
  const url = `${deps.links.baseUrl}/confirm?token=${encodeURIComponent(token)}`;
  await sendOne(deps, post, 'confirm', subscriber, input.language, {
    subject: t('confirmSubject', 'Please confirm your subscription to the newsletter of {post}'),
    paragraphs: [
      t('confirmIntro', 'Someone, probably you, asked to receive the newsletter of {post}.'),
      t('confirmAsk', 'To confirm, open this link within {days} days:').replace(
        '{days}',
        String(deps.policy.confirmDays),
      ),
    ],
    link: { url, text: t('confirmButton', 'Confirm my subscription') },
    after: [
      t('confirmIgnore', 'If you did not ask for it, ignore this message: nothing will be sent to you.'),
    ],
  });
  return 'sent';
}

export type ConfirmOutcome =
  | { readonly kind: 'confirmed'; readonly post: Post; readonly language: Language }
  | { readonly kind: 'already'; readonly post: Post; readonly language: Language }
  | { readonly kind: 'nothing'; readonly post: Post | undefined; readonly language: Language };

/**
 * Confirms the pending subscriptions a verified 'confirm' link names, then mails a
 * welcome. Again is harmless (nothing pending: no second welcome); after an
 * unsubscribe or when the pending ones expired there is nothing to confirm.
 */
export async function confirmSubscription(
  deps: SubscribeDeps,
  claims: Pick<LinkClaims, 's' | 'o' | 'g'>,
): Promise<ConfirmOutcome> {
  const post = claims.o ? await deps.posts.get(claims.o) : undefined;
  const language = post ? languageFor(post, claims.g) : (Language.safeParse(claims.g).data ?? 'en');
  if (!post) return { kind: 'nothing', post, language };
  const mine = (await deps.subscribers.subscriptionsOf(claims.s)).filter((s) => s.post === post.code);
  const now = deps.clock.now();
  const pending = mine.filter(
    (s) => s.status === 'pending' && (s.expiresAt === undefined || s.expiresAt * 1000 >= now.getTime()),
  );
  if (pending.length === 0) {
    const kind = mine.some((s) => s.status === 'confirmed') ? 'already' : 'nothing';
    return { kind, post, language };
  }
  const at = now.toISOString();
  for (const s of pending) {
    const { expiresAt: _expired, ...rest } = s;
    const confirmed: Subscription = {
      ...rest,
      status: 'confirmed',
      updatedAt: at,
      consent: { ...(s.consent ?? { at, source: 'unknown' }), confirmedAt: at },
    };
    await deps.subscribers.putSubscription(confirmed);
  }
  await deps.growth?.count(post.code, 'list_confirmed', pending.length, at);
  const subscriber = await deps.subscribers.get(claims.s);
  if (subscriber) {
    await deps.subscribers.keep(subscriber);
    await sendWelcome(deps, post, subscriber, language, pending);
  }
  return { kind: 'confirmed', post, language };
}

async function sendWelcome(
  deps: SubscribeDeps,
  post: Post,
  subscriber: { id: string; email: string; name: string },
  language: Language,
  confirmed: readonly Subscription[],
) {
  const t = label(deps.labels(language), post, language);
  const latest = await deps.editions.latestSent(post.code);
  // The web version of a variant the person would have received, else the nearest one.
  const variant =
    latest &&
    (latest.variants.find(
      (v) => v.language === language && confirmed.some((s) => s.audience === v.audience),
    ) ??
      latest.variants.find((v) => v.language === language) ??
      latest.variants[0]);
  const web =
    latest && variant
      ? `${deps.links.baseUrl}/web?token=${encodeURIComponent(
          signLink(
            {
              p: 'read',
              s: subscriber.id,
              e: latest.id,
              o: post.code,
              a: variant.audience,
              g: variant.language,
            },
            deps.links.keys,
          ),
        )}`
      : undefined;
  await sendOne(deps, post, 'welcome', subscriber, language, {
    subject: t('welcomeSubject', 'Welcome to the newsletter of {post}'),
    paragraphs: [
      post.welcome?.[language] ??
        t('welcomeText', 'Thank you: your subscription is confirmed. You will receive our next newsletter.'),
    ],
    ...(web ? { link: { url: web, text: t('welcomeLatest', 'Read our latest newsletter') } } : {}),
    after: [],
  });
}

/** A label in the reader's language, the post named as that reader calls it. */
const label =
  (labels: Readonly<Record<string, string>>, post: Post, language: Language) =>
  (key: string, fallback: string): string =>
    (labels[key] ?? fallback).replaceAll('{post}', nameIn(post, language));

interface SimpleMessage {
  readonly subject: string;
  readonly paragraphs: readonly string[];
  readonly link?: { readonly url: string; readonly text: string };
  readonly after: readonly string[];
}

// Handlebars escapes every value: the post's name and welcome text are staff's typing.
const htmlBody = Handlebars.compile(`<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><title>{{subject}}</title></head>
<body style="font-family:Arial,sans-serif;color:#1b1b1b;max-width:36rem;margin:0 auto;padding:1rem">
<div style="border-top:6px solid {{color}};padding-top:1rem"><img src="{{logo}}" alt="{{postName}}" style="max-height:48px"></div>
{{#each paragraphs}}<p>{{this}}</p>{{/each}}
{{#if link}}<p><a href="{{link.url}}" style="display:inline-block;padding:.6rem 1.2rem;background:{{color}};color:#fff;text-decoration:none;border-radius:4px">{{link.text}}</a></p>
<p style="font-size:12px;color:#555">{{link.url}}</p>{{/if}}
{{#each after}}<p style="font-size:12px;color:#555">{{this}}</p>{{/each}}
<p style="font-size:12px;color:#555">{{postName}}<br>{{postalAddress}}</p>
</body></html>`);

/** One transactional message through the Mailer (the one MIME builder), with its unsubscribe link. */
async function sendOne(
  deps: SubscribeDeps,
  post: Post,
  kind: 'confirm' | 'welcome',
  subscriber: { id: string; email: string },
  language: Language,
  message: SimpleMessage,
) {
  const unsubscribeUrl = `${deps.links.baseUrl}/unsubscribe?token=${encodeURIComponent(
    signLink({ p: 'manage', s: subscriber.id, o: post.code, g: language }, deps.links.keys),
  )}`;
  const envelope = {
    from: post.sender,
    replyTo: post.replyTo,
    subject: message.subject,
    editionId: kind,
    unsubscribeMailto: `unsubscribe@${post.sender.address.split('@')[1] ?? 'invalid'}`,
    tags: { post: post.code, kind },
  };
  const mail = await deps.mailer.prepare(envelope);
  const text = [
    ...message.paragraphs,
    ...(message.link ? [`${message.link.text}: ${message.link.url}`] : []),
    ...message.after,
    `${nameIn(post, language)}\n${post.postalAddress}`,
  ].join('\n\n');
  await mail.send({
    to: subscriber.email,
    recipientId: subscriber.id,
    unsubscribeUrl,
    html: htmlBody({
      lang: language,
      subject: message.subject,
      color: post.branding.primaryColor,
      logo: post.branding.logoUrl,
      postName: nameIn(post, language),
      postalAddress: post.postalAddress,
      paragraphs: message.paragraphs,
      link: message.link,
      after: message.after,
    }),
    text,
  });
}

/**
 * Staff add one person: the same request as the form's (a confirmation mail; the
 * person is pending until they confirm), from `staff:<actor>`, audited without the
 * address (the audit trail names the post and the audiences).
 */
export async function addByStaff(
  deps: SubscribeDeps & { readonly audit: AuditTrail },
  actor: string,
  req: Omit<SubscribeRequest, 'source' | 'client' | 'honeypot' | 'stamp'>,
): Promise<SubscribeOutcome> {
  const outcome = await requestSubscription(deps, { ...req, source: `staff:${actor}` });
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor,
    action: 'subscribers.added',
    post: req.post,
    target: { type: 'subscribers', id: req.post },
    detail: { audiences: [...new Set(req.audiences)].join(','), confirmationSent: outcome === 'sent' },
  });
  return outcome;
}
