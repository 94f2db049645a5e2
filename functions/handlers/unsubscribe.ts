import type { AppContext } from '../app';
import { MissiveError } from '../core/errors';
import {
  HQ_POST,
  LANGUAGES,
  type Language,
  nameIn,
  type Post,
  type Subscriber,
  type Subscription,
} from '../core/model';
import { InvalidLinkError, type LinkClaims, verifyLink } from '../core/signed-links';
import type { ApiEvent, ApiResult } from '../http/api';
import {
  type OperationHandler,
  type OperationRequest,
  type OperationsOf,
  serveOperations,
} from '../http/operations';
import {
  badLinkPage,
  errorField,
  type PageContent,
  type PageField,
  pagePost,
  publicPages,
} from '../http/pages';
import { applyPreferences, NeedsOptInError } from '../subscribers/preferences';
import { stoppedBroadcasts, type UnsubscribeScope, unsubscribe } from '../subscribers/unsubscribe';
import { lambdaHttpEntry } from './entry';

/** A verified "manage" link, with its post and the wording in the language of its email. */
interface ManageLink {
  readonly claims: LinkClaims;
  readonly post: Post | undefined;
  readonly lang: string;
  /** The label in the link's language, {post} filled in. */
  readonly t: (key: string, fallback: string) => string;
  /** The query string that carries the token on to the page's form. */
  readonly self: string;
  /** A page in the link's language, under the post's band. */
  readonly page: (statusCode: number, content: Omit<PageContent, 'lang' | 'post'>) => ApiResult;
}

/** Runs `page` for a valid link; an invalid or expired one gets a 400 page saying why. */
const withLink =
  (page: (link: ManageLink, req: OperationRequest) => Promise<ApiResult>): OperationHandler =>
  async (req) => {
    const { ctx, event } = req;
    const token = event.queryStringParameters?.token;
    let claims: LinkClaims;
    try {
      claims = verifyLink(token, 'manage', ctx.settings.signingKeys, ctx.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
      return badLinkPage(ctx.settings.templatesDir, ctx.editions.labels, event.headers?.['accept-language']);
    }
    const post = claims.o ? await ctx.repos.posts.get(claims.o) : undefined;
    // In the language of the email the link came from (older links: the post's own language).
    const lang = claims.g ?? post?.defaultLanguage ?? 'en';
    const labels = ctx.editions.labels(lang);
    const t = (key: string, fallback: string) =>
      (labels[key] ?? fallback).replace('{post}', post ? nameIn(post, lang) : '—');
    const self = `?token=${encodeURIComponent(token ?? '')}`;
    const render = publicPages(ctx.settings.templatesDir);
    const band = claims.o === HQ_POST ? undefined : pagePost(post, lang);
    const html = (statusCode: number, content: Omit<PageContent, 'lang' | 'post'>) =>
      render(statusCode, { ...content, lang, post: band });
    return page({ claims, post, lang, t, self, page: html }, req);
  };

/** Each language by its own name: the choice reads right whatever the page's language. */
const AUTONYMS: Record<Language, string> = { fr: 'Français', nl: 'Nederlands', en: 'English', de: 'Deutsch' };

const everythingForm = ({ t, self }: ManageLink) => ({
  action: `/unsubscribe${self}&scope=everything`,
  button: t('pageUnsubscribeEverything', 'Unsubscribe from everything (every post)'),
});

const statusOf =
  ({ t }: ManageLink) =>
  (s: string) =>
    t(`status${s[0]?.toUpperCase()}${s.slice(1)}`, s);

/** The posts of these subscriptions, by code (a post since removed is left out). */
async function postsOf(ctx: AppContext, subscriptions: readonly Subscription[]): Promise<Map<string, Post>> {
  const codes = [...new Set(subscriptions.map((s) => s.post).filter((code) => code !== HQ_POST))];
  const posts = await Promise.all(codes.map((code) => ctx.repos.posts.get(code)));
  return new Map(posts.filter((p): p is Post => p !== undefined).map((p) => [p.code, p] as const));
}

/**
 * What a sent-back form said: what the person chose (shown again as they left it) and
 * the message of the field it is about.
 */
interface SentBack {
  readonly form: ReturnType<typeof formOf>;
  readonly field: string | undefined;
  readonly message: string;
  readonly status: number;
  /** An audience asked for needs the post's form (double opt-in): the page links to it. */
  readonly needsOptIn?: boolean;
}

/** The preference form's fields as the domain's one-line errors name them. */
const PREFERENCE_FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  language: 'language',
  postLanguage: 'postLanguage',
  audience: 'audience',
  audiences: 'audience',
};

/** The message for a field, in the link's language. */
function fieldMessage({ t }: ManageLink, field: string | undefined): string {
  if (field === 'name') return t('subscribeErrorName', 'A name can have at most 120 characters');
  if (field === 'language' || field === 'postLanguage')
    return t('subscribeErrorLanguage', 'Choose one of the languages offered');
  return t('subscribeErrorText', 'Something in the form is not right: check it and send it again.');
}

/** The message next to the field it is about (an error that names none goes on the first field). */
const errorFor = (sent: SentBack | undefined, field: string, first = false) =>
  sent && (sent.field === field || (first && sent.field === undefined)) ? { error: sent.message } : {};

/** The name and preferred-language fields, filled from the person's profile (or what they sent). */
function profileFields(link: ManageLink, profile: Subscriber | undefined, sent?: SentBack): PageField[] {
  const { t, lang } = link;
  const preferred = sent?.form.language ?? profile?.language ?? lang;
  return [
    {
      name: 'name',
      kind: 'text',
      label: t('pagePreferencesName', 'Your name'),
      value: sent ? sent.form.name : (profile?.name ?? ''),
      autocomplete: 'name',
      ...errorFor(sent, 'name', true),
    },
    {
      name: 'language',
      kind: 'select',
      label: t('pagePreferencesLanguage', 'Your preferred language'),
      options: LANGUAGES.map((l) => ({ value: l, label: AUTONYMS[l], checked: l === preferred })),
      ...errorFor(sent, 'language'),
    },
  ];
}

/**
 * A post link's preference centre: a form (name, preferred language, the post's
 * audiences and their language), the person's subscriptions at this post, and the
 * names of every post they receive (the link is theirs; another person's data never).
 */
async function postPreferences(
  link: ManageLink,
  ctx: AppContext,
  notice?: string,
  sent?: SentBack,
): Promise<ApiResult> {
  const { claims, post, lang, t, self } = link;
  const [all, profile] = await Promise.all([
    ctx.repos.subscribers.subscriptionsOf(claims.s),
    ctx.repos.subscribers.get(claims.s),
  ]);
  const mine = all.filter((s) => s.post === claims.o);
  const active = mine.filter((s) => s.status !== 'unsubscribed');
  const name = (id: string) => {
    const audience = post?.audiences.find((a) => a.id === id);
    return audience ? nameIn(audience, lang) : id;
  };
  const status = statusOf(link);
  const receiving = await postsOf(
    ctx,
    all.filter((s) => s.status === 'confirmed'),
  );
  const postLanguage = sent?.form.postLanguage ?? active[0]?.language ?? post?.defaultLanguage;
  const fields: PageField[] = [
    ...profileFields(link, profile, sent),
    ...(post
      ? [
          {
            name: 'audience',
            kind: 'checkboxes' as const,
            label: t('pagePreferencesAudiences', 'Newsletters of {post} you receive'),
            options: post.audiences.map((a) => ({
              value: a.id,
              label: nameIn(a, lang),
              checked: sent ? sent.form.audiences.includes(a.id) : active.some((s) => s.audience === a.id),
            })),
            ...errorFor(sent, 'audience'),
          },
          {
            name: 'postLanguage',
            kind: 'select' as const,
            label: t('pagePreferencesPostLanguage', 'Language of the newsletters of {post}'),
            options: post.languages.map((l) => ({
              value: l,
              label: AUTONYMS[l],
              checked: l === postLanguage,
            })),
            ...errorFor(sent, 'postLanguage'),
          },
        ]
      : []),
  ];
  return link.page(sent?.status ?? 200, {
    title: t('pagePreferencesTitle', 'Your subscriptions: {post}'),
    ...(notice ? { notice } : {}),
    errorsTitle: t('pagePreferencesNotSaved', 'Your changes were not saved'),
    paragraphs: [
      ...(mine.length
        ? mine.map((s) => `${name(s.audience)} (${s.language}): ${status(s.status)}`)
        : [t('pageNoSubscription', 'You have no subscription here.')]),
      ...(receiving.size ? [t('pagePreferencesPosts', 'You receive newsletters from:')] : []),
    ],
    list: [...receiving.values()].map((p) => nameIn(p, lang)),
    // Double opt-in lives on the post's subscription form: point there rather than mail from here.
    links:
      sent?.needsOptIn && post
        ? [
            {
              href: `/posts/${encodeURIComponent(post.code)}/subscribe?lang=${encodeURIComponent(lang)}`,
              text: t('pagePreferencesSubscribeLink', 'Subscribe to the newsletters of {post}'),
            },
          ]
        : [],
    editor: {
      action: `/preferences${self}`,
      button: t('pagePreferencesSave', 'Save my preferences'),
      fields,
    },
    forms: [
      ...(active.length
        ? [
            {
              action: `/unsubscribe${self}&scope=post`,
              button: t('pageUnsubscribeAll', "Stop all of {post}'s newsletters"),
            },
          ]
        : []),
      everythingForm(link),
    ],
  });
}

/** An HQ broadcast's link: HQ's broadcasts and the person's subscriptions at every post. */
async function broadcastPreferences(
  link: ManageLink,
  ctx: AppContext,
  notice?: string,
  sent?: SentBack,
): Promise<ApiResult> {
  const { claims, lang, t, self } = link;
  const [all, profile] = await Promise.all([
    ctx.repos.subscribers.subscriptionsOf(claims.s),
    ctx.repos.subscribers.get(claims.s),
  ]);
  const status = statusOf(link);
  const everything = everythingForm(link);
  const posts = all.filter((s) => s.post !== HQ_POST);
  const names = await postsOf(ctx, posts);
  const audienceName = (s: Subscription) => {
    const audience = names.get(s.post)?.audiences.find((a) => a.id === s.audience);
    return audience ? nameIn(audience, lang) : s.audience;
  };
  const stopped = stoppedBroadcasts(all);
  const nameOfPost = (p: Post | undefined, code: string) => (p ? nameIn(p, lang) : code);
  return link.page(sent?.status ?? 200, {
    title: t('pageBroadcastPreferencesTitle', 'Your subscriptions in the network'),
    ...(notice ? { notice } : {}),
    errorsTitle: t('pagePreferencesNotSaved', 'Your changes were not saved'),
    paragraphs: [
      `${t('pageBroadcasts', 'Newsletters from Headquarters to the whole network')}: ${stopped ? t('statusStopped', 'stopped') : t('statusReceiving', 'receiving')}`,
      ...posts.map(
        (s) =>
          `${nameOfPost(names.get(s.post), s.post)}: ${audienceName(s)} (${s.language}): ${status(s.status)}`,
      ),
    ],
    // Only the profile here: audiences belong to a post, and this link names none.
    editor: {
      action: `/preferences${self}`,
      button: t('pagePreferencesSave', 'Save my preferences'),
      fields: profileFields(link, profile, sent),
    },
    forms: [
      ...(stopped
        ? []
        : [
            {
              action: `/unsubscribe${self}`,
              button: t('pageStopBroadcasts', 'Stop the newsletters from Headquarters'),
            },
          ]),
      ...(posts.some((s) => s.status !== 'unsubscribed') || !stopped ? [everything] : []),
    ],
  });
}

/**
 * The preference centre's form fields (application/x-www-form-urlencoded, as a plain
 * HTML form posts them; ticked checkboxes repeat `audience`), checked by the domain.
 */
function formOf(event: ApiEvent): {
  name: string;
  language: string | undefined;
  postLanguage: string | undefined;
  audiences: string[];
} {
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const form = new URLSearchParams(text);
  return {
    name: form.get('name') ?? '',
    language: form.get('language') ?? undefined,
    postLanguage: form.get('postLanguage') || undefined,
    audiences: form.getAll('audience'),
  };
}

/** Which scope a POST asks for: the page's buttons say; one-click (RFC 8058) is the email's own list. */
function scopeOf(query: Record<string, string | undefined> | undefined): UnsubscribeScope {
  if (query?.scope === 'everything') return 'everything';
  if (query?.scope === 'post' || query?.all === '1') return 'post';
  return 'list';
}

/**
 * GET /unsubscribe?token=...  a page that asks to confirm (mail scanners follow GET
 *                             links; they must not unsubscribe anyone)
 * POST /unsubscribe?token=... unsubscribes: the page's buttons, and RFC 8058 one-click
 *                             (body "List-Unsubscribe=One-Click" from the mailbox provider)
 *                             stops the list the email came from (an HQ broadcast: HQ's
 *                             broadcasts); &scope=post every audience of the post,
 *                             &scope=everything every post and HQ's broadcasts
 * GET /preferences?token=...  the person's subscriptions at that post (an HQ broadcast's
 *                             link: at every post, since the broadcast reached them there)
 */
export const unsubscribeOperations: OperationsOf<'unsubscribe'> = {
  preferencesPage: withLink(async (link, { ctx }) =>
    link.claims.o === HQ_POST ? broadcastPreferences(link, ctx) : postPreferences(link, ctx),
  ),
  savePreferences: withLink(async (link, { ctx, event }) => {
    const { claims, post, t } = link;
    const form = formOf(event);
    const again = claims.o === HQ_POST ? broadcastPreferences : postPreferences;
    try {
      await applyPreferences(ctx.repos.subscribers, ctx.clock, claims, post, form);
    } catch (error) {
      if (!(error instanceof MissiveError)) throw error;
      const optIn = error instanceof NeedsOptInError;
      const message = optIn
        ? t(
            'pagePreferencesNeedsOptIn',
            'To receive {audience}, subscribe through the subscription form of {post}: it sends you a confirmation message.',
          ).replace('{audience}', error.audience)
        : fieldMessage(link, errorField(error.message, PREFERENCE_FIELDS));
      // The form again as the person left it, the message next to its field: nothing was saved.
      return again(link, ctx, undefined, {
        form,
        field: optIn ? 'audience' : errorField(error.message, PREFERENCE_FIELDS),
        message,
        status: error.httpStatus,
        needsOptIn: optIn,
      });
    }
    return again(link, ctx, t('pagePreferencesSaved', 'Your preferences are saved.'));
  }),
  unsubscribePage: withLink(async ({ claims, t, self, page }) => {
    const everything = {
      action: `/unsubscribe${self}&scope=everything`,
      button: t('pageUnsubscribeEverything', 'Unsubscribe from everything (every post)'),
    };
    if (claims.o === HQ_POST) {
      // An HQ broadcast reached the person through their posts: stop HQ's broadcasts, or everything.
      return page(200, {
        title: t('pageUnsubscribeTitle', 'Unsubscribe'),
        paragraphs: [
          t(
            'pageBroadcastQuestion',
            'Do you want to stop receiving the newsletters Headquarters sends to the whole network? Your subscriptions to posts stay as they are.',
          ),
        ],
        forms: [
          { action: self, button: t('pageStopBroadcasts', 'Stop the newsletters from Headquarters') },
          everything,
        ],
      });
    }
    return page(200, {
      title: t('pageUnsubscribeTitle', 'Unsubscribe'),
      paragraphs: [t('pageUnsubscribeQuestion', 'Do you want to stop receiving the newsletter of {post}?')],
      forms: [{ action: self, button: t('pageUnsubscribeButton', 'Unsubscribe') }, everything],
    });
  }),
  unsubscribe: withLink(async ({ claims, post, lang, t, page }, { ctx, event }) => {
    const scope = scopeOf(event.queryStringParameters);
    const { dropped } = await unsubscribe(ctx.repos.subscribers, ctx.clock, claims, scope, {
      counter: ctx.listGrowth,
      change: 'list_unsubscribed',
    });
    // One audience stopped: say which, in the reader's language (the link is the reader's own).
    const audiences = new Set(dropped.filter((s) => s.post === claims.o).map((s) => s.audience));
    const only = audiences.size === 1 ? post?.audiences.find((a) => audiences.has(a.id)) : undefined;
    const text =
      scope === 'everything'
        ? t('pageEverythingText', 'You will no longer receive any newsletter of the network.')
        : claims.o === HQ_POST
          ? t(
              'pageBroadcastsStoppedText',
              'You will no longer receive the newsletters Headquarters sends to the whole network. Your subscriptions to posts stay as they are.',
            )
          : only
            ? t(
                'pageUnsubscribedAudienceText',
                'You will no longer receive the newsletter "{audience}" of {post}.',
              ).replace('{audience}', nameIn(only, lang))
            : t('pageUnsubscribedText', 'You will no longer receive the newsletter of {post}.');
    return page(200, {
      title: t('pageUnsubscribedTitle', 'You are unsubscribed'),
      paragraphs: [text],
    });
  }),
};

export const makeUnsubscribeHandler = serveOperations('unsubscribe', unsubscribeOperations);

export const handler = lambdaHttpEntry(makeUnsubscribeHandler);
