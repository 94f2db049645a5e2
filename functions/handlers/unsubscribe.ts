import type { AppContext } from '../app';
import { InvalidLinkError, verifyLink } from '../core/signed-links';
import { unsubscribe } from '../core/unsubscribe';
import { htmlPage } from '../http/pages';
import type { RequestHandler } from '../http/pipeline';
import { lambdaHttpEntry } from './entry';

/**
 * GET /unsubscribe?token=...  a page that asks to confirm (mail scanners follow GET
 *                             links; they must not unsubscribe anyone)
 * POST /unsubscribe?token=... unsubscribes: the page's button, and RFC 8058 one-click
 *                             (body "List-Unsubscribe=One-Click" from the mailbox provider)
 */
export const makeUnsubscribeHandler =
  (ctx: AppContext): RequestHandler =>
  async (event) => {
    const token = event.queryStringParameters?.token;
    let claims: ReturnType<typeof verifyLink>;
    try {
      claims = verifyLink(token, 'manage', ctx.settings.signingKeys, ctx.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
      return htmlPage(400, { title: 'This link does not work', paragraphs: [error.message] });
    }
    const post = claims.o ? await ctx.repos.posts.get(claims.o) : undefined;
    const from = post ? post.name : 'this newsletter';
    if (event.requestContext.http.method === 'GET') {
      return htmlPage(200, {
        title: 'Unsubscribe',
        paragraphs: [`Do you want to stop receiving the newsletter of ${from}?`],
        form: { action: `?token=${encodeURIComponent(token ?? '')}`, button: 'Unsubscribe' },
      });
    }
    await unsubscribe(ctx.repos.subscribers, ctx.clock, claims);
    return htmlPage(200, {
      title: 'You are unsubscribed',
      paragraphs: [`You will no longer receive the newsletter of ${from}.`],
    });
  };

export const handler = lambdaHttpEntry(makeUnsubscribeHandler);
