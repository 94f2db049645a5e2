import { NotFoundError } from '../core/errors';
import { InvalidLinkError, type LinkClaims, verifyLink } from '../core/signed-links';
import { variantRender } from '../editions/service';
import type { ApiEvent, ApiResult } from '../http/api';
import {
  type OperationHandler,
  type OperationRequest,
  type OperationsOf,
  serveOperations,
} from '../http/operations';
import { htmlPage } from '../http/pages';
import { compilePersonaliser } from '../rendering/personalise';
import { lambdaHttpEntry } from './entry';

const gone = () =>
  htmlPage(404, { title: 'Not available', paragraphs: ['This newsletter is no longer available.'] });

/** The variant a valid "read" token names, its language, and the token itself. */
interface Read {
  readonly render: Awaited<ReturnType<typeof variantRender>>;
  readonly language: string;
  readonly token: string;
}

/**
 * Runs `answer` with the variant a valid "read" token names; a bad token gets a 400
 * page, an edition or variant that no longer exists a 404 page.
 */
const withRead =
  (
    tokenOf: (event: ApiEvent) => string | undefined,
    answer: (read: Read, req: OperationRequest) => ApiResult,
  ): OperationHandler =>
  async (req) => {
    const { ctx, event } = req;
    const token = tokenOf(event);
    let claims: LinkClaims;
    try {
      claims = verifyLink(token, 'read', ctx.settings.signingKeys, ctx.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
      return htmlPage(400, { title: 'This link does not work', paragraphs: [error.message] });
    }
    const edition = claims.e ? await ctx.repos.editions.get(claims.e) : undefined;
    if (!edition || !claims.a || !claims.g || edition.post !== claims.o) return gone();
    let render: Read['render'];
    try {
      render = await variantRender(ctx.editions, edition, claims.a, claims.g);
    } catch (error) {
      if (error instanceof NotFoundError) return gone();
      throw error;
    }
    return answer({ render, language: claims.g, token: token ?? '' }, req);
  };

/**
 * What a reader opens from an email, with the "read" token:
 *   GET /web?token=...      the web version of the variant they received
 *   GET /r/{token}/{n}      a tracked link: redirect to the edition's n-th link
 * Neither changes anything, and neither shows who the reader is: a forwarded link
 * shows the newsletter, not its recipient.
 */
export const readerOperations: OperationsOf<'reader'> = {
  trackedLink: withRead(
    (event) => event.pathParameters?.token,
    ({ render }, { event }) => {
      // Only the plain index the message wrote ("1", not "01", "0x1" or "1e0").
      const raw = event.pathParameters?.n ?? '';
      const n = /^(0|[1-9]\d{0,3})$/.test(raw) ? Number(raw) : Number.NaN;
      const target = Number.isInteger(n) ? render.links[n] : undefined;
      if (!target) return gone();
      // Only links of the edition itself: the token cannot be turned into an open redirect.
      return {
        statusCode: 302,
        headers: { location: target, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
      };
    },
  ),
  webVersion: withRead(
    (event) => event.queryStringParameters?.token,
    ({ render, language, token }, { ctx }) => {
      const click = `${ctx.settings.publicBaseUrl}/r/${encodeURIComponent(token)}/`;
      const html = compilePersonaliser(
        render.html,
        ctx.editions.labels(language),
        'html',
      )({
        name: undefined,
        // The web version offers no unsubscribe: that needs the link of the email itself.
        links: { web: '#', preferences: '#', unsubscribe: '#', click },
      });
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'private, max-age=300',
          'content-security-policy': "script-src 'none'",
          'referrer-policy': 'no-referrer',
          'x-robots-tag': 'noindex',
        },
        body: html,
      };
    },
  ),
};

export const makeReaderHandler = serveOperations('reader', readerOperations);

export const handler = lambdaHttpEntry(makeReaderHandler);
