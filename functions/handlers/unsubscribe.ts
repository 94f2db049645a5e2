import type { Post, Subscription } from '../core/model';
import { HQ_POST } from '../core/model';
import { InvalidLinkError, type LinkClaims, verifyLink } from '../core/signed-links';
import type { ApiResult } from '../http/api';
import {
  type OperationHandler,
  type OperationRequest,
  type OperationsOf,
  serveOperations,
} from '../http/operations';
import { htmlPage } from '../http/pages';
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
      return htmlPage(400, { title: 'This link does not work', paragraphs: [error.message] });
    }
    const post = claims.o ? await ctx.repos.posts.get(claims.o) : undefined;
    // In the language of the email the link came from (older links: the post's own language).
    const lang = claims.g ?? post?.defaultLanguage ?? 'en';
    const labels = ctx.editions.labels(lang);
    const t = (key: string, fallback: string) =>
      (labels[key] ?? fallback).replace('{post}', post ? post.name : '—');
    const self = `?token=${encodeURIComponent(token ?? '')}`;
    return page({ claims, post, lang, t, self }, req);
  };

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
  preferencesPage: withLink(async ({ claims, post, lang, t, self }, { ctx }) => {
    const all = await ctx.repos.subscribers.subscriptionsOf(claims.s);
    const status = (s: string) => t(`status${s[0]?.toUpperCase()}${s.slice(1)}`, s);
    const everything = {
      action: `/unsubscribe${self}&scope=everything`,
      button: t('pageUnsubscribeEverything', 'Unsubscribe from everything (every post)'),
    };
    if (claims.o === HQ_POST) {
      const posts = all.filter((s) => s.post !== HQ_POST);
      const names = new Map(
        (await Promise.all([...new Set(posts.map((s) => s.post))].map((code) => ctx.repos.posts.get(code))))
          .filter((p): p is Post => p !== undefined)
          .map((p) => [p.code, p] as const),
      );
      const audienceName = (s: Subscription) =>
        names.get(s.post)?.audiences.find((a) => a.id === s.audience)?.name ?? s.audience;
      const stopped = stoppedBroadcasts(all);
      return htmlPage(200, {
        lang,
        title: t('pageBroadcastPreferencesTitle', 'Your subscriptions in the network'),
        paragraphs: [
          `${t('pageBroadcasts', 'Newsletters from Headquarters to the whole network')}: ${stopped ? t('statusStopped', 'stopped') : t('statusReceiving', 'receiving')}`,
          ...posts.map(
            (s) =>
              `${names.get(s.post)?.name ?? s.post}: ${audienceName(s)} (${s.language}): ${status(s.status)}`,
          ),
        ],
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
    // The person's subscriptions at this post only: a post's link never shows another post.
    const mine = all.filter((s) => s.post === claims.o);
    const name = (id: string) => post?.audiences.find((a) => a.id === id)?.name ?? id;
    return htmlPage(200, {
      lang,
      title: t('pagePreferencesTitle', 'Your subscriptions: {post}'),
      paragraphs: mine.length
        ? mine.map((s) => `${name(s.audience)} (${s.language}): ${status(s.status)}`)
        : [t('pageNoSubscription', 'You have no subscription here.')],
      forms: [
        ...(mine.some((s) => s.status !== 'unsubscribed')
          ? [
              {
                action: `/unsubscribe${self}&scope=post`,
                button: t('pageUnsubscribeAll', 'Unsubscribe from all'),
              },
            ]
          : []),
        everything,
      ],
    });
  }),
  unsubscribePage: withLink(async ({ claims, lang, t, self }) => {
    const everything = {
      action: `/unsubscribe${self}&scope=everything`,
      button: t('pageUnsubscribeEverything', 'Unsubscribe from everything (every post)'),
    };
    if (claims.o === HQ_POST) {
      // An HQ broadcast reached the person through their posts: stop HQ's broadcasts, or everything.
      return htmlPage(200, {
        lang,
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
    return htmlPage(200, {
      lang,
      title: t('pageUnsubscribeTitle', 'Unsubscribe'),
      paragraphs: [t('pageUnsubscribeQuestion', 'Do you want to stop receiving the newsletter of {post}?')],
      forms: [{ action: self, button: t('pageUnsubscribeButton', 'Unsubscribe') }, everything],
    });
  }),
  unsubscribe: withLink(async ({ claims, lang, t }, { ctx, event }) => {
    const scope = scopeOf(event.queryStringParameters);
    await unsubscribe(ctx.repos.subscribers, ctx.clock, claims, scope);
    const text =
      scope === 'everything'
        ? t('pageEverythingText', 'You will no longer receive any newsletter of the network.')
        : claims.o === HQ_POST
          ? t(
              'pageBroadcastsStoppedText',
              'You will no longer receive the newsletters Headquarters sends to the whole network. Your subscriptions to posts stay as they are.',
            )
          : t('pageUnsubscribedText', 'You will no longer receive the newsletter of {post}.');
    return htmlPage(200, {
      lang,
      title: t('pageUnsubscribedTitle', 'You are unsubscribed'),
      paragraphs: [text],
    });
  }),
};

export const makeUnsubscribeHandler = serveOperations('unsubscribe', unsubscribeOperations);

export const handler = lambdaHttpEntry(makeUnsubscribeHandler);
