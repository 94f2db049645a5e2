import type { Post } from '../core/model';
import { InvalidLinkError, type LinkClaims, verifyLink } from '../core/signed-links';
import { unsubscribe } from '../core/unsubscribe';
import type { ApiResult } from '../http/api';
import {
  type OperationHandler,
  type OperationRequest,
  type OperationsOf,
  serveOperations,
} from '../http/operations';
import { htmlPage } from '../http/pages';
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

/**
 * GET /unsubscribe?token=...  a page that asks to confirm (mail scanners follow GET
 *                             links; they must not unsubscribe anyone)
 * POST /unsubscribe?token=... unsubscribes: the page's button, and RFC 8058 one-click
 *                             (body "List-Unsubscribe=One-Click" from the mailbox provider);
 *                             &all=1 unsubscribes from every audience of the post
 * GET /preferences?token=...  the person's subscriptions at that post
 */
export const unsubscribeOperations: OperationsOf<'unsubscribe'> = {
  preferencesPage: withLink(async ({ claims, post, lang, t, self }, { ctx }) => {
    // The person's subscriptions at this post only: a link never shows more than its post.
    const mine = (await ctx.repos.subscribers.subscriptionsOf(claims.s)).filter((s) => s.post === claims.o);
    const name = (id: string) => post?.audiences.find((a) => a.id === id)?.name ?? id;
    const status = (s: string) => t(`status${s[0]?.toUpperCase()}${s.slice(1)}`, s);
    return htmlPage(200, {
      lang,
      title: t('pagePreferencesTitle', 'Your subscriptions: {post}'),
      paragraphs: mine.length
        ? mine.map((s) => `${name(s.audience)} (${s.language}): ${status(s.status)}`)
        : [t('pageNoSubscription', 'You have no subscription here.')],
      ...(mine.some((s) => s.status !== 'unsubscribed')
        ? {
            form: {
              action: `/unsubscribe${self}&all=1`,
              button: t('pageUnsubscribeAll', 'Unsubscribe from all'),
            },
          }
        : {}),
    });
  }),
  unsubscribePage: withLink(async ({ lang, t, self }) =>
    htmlPage(200, {
      lang,
      title: t('pageUnsubscribeTitle', 'Unsubscribe'),
      paragraphs: [t('pageUnsubscribeQuestion', 'Do you want to stop receiving the newsletter of {post}?')],
      form: { action: self, button: t('pageUnsubscribeButton', 'Unsubscribe') },
    }),
  ),
  unsubscribe: withLink(async ({ claims, lang, t }, { ctx, event }) => {
    // all=1 (from the preferences page): every audience of the post, not only the one of the email.
    const all = event.queryStringParameters?.all === '1';
    const { a: _audience, ...wholePost } = claims;
    await unsubscribe(ctx.repos.subscribers, ctx.clock, all ? wholePost : claims);
    return htmlPage(200, {
      lang,
      title: t('pageUnsubscribedTitle', 'You are unsubscribed'),
      paragraphs: [t('pageUnsubscribedText', 'You will no longer receive the newsletter of {post}.')],
    });
  }),
};

export const makeUnsubscribeHandler = serveOperations('unsubscribe', unsubscribeOperations);

export const handler = lambdaHttpEntry(makeUnsubscribeHandler);
