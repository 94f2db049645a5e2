import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app';
import { decodeBase64url } from '../core/base64url';
import { NotFoundError } from '../core/errors';
import { Language } from '../core/model';
import { cachedPromise } from '../core/promise-cache';
import { InvalidLinkError, type LinkClaims, verifyLink } from '../core/signed-links';
import type { VariantLinks } from '../editions/model';
import { storedRender } from '../editions/service';
import { classifyRequest } from '../engagement/classify';
import type { EngagementEvent } from '../engagement/model';
import type { ApiEvent, ApiResult } from '../http/api';
import {
  type OperationHandler,
  type OperationRequest,
  type OperationsOf,
  serveOperations,
} from '../http/operations';
import { badLinkPage, type PageContent, publicPages } from '../http/pages';
import { compilePersonaliser } from '../rendering/personalise';
import { lambdaHttpEntry } from './entry';

/** A subscribers' page in `lang` (a token's language; English when it names none). */
const page = (ctx: AppContext, statusCode: number, lang: string | undefined, content: PageContent) =>
  publicPages(ctx.settings.templatesDir)(statusCode, { ...content, lang: lang ?? 'en' });

const gone = (ctx: AppContext, lang: string | undefined) => {
  const labels = ctx.editions.labels(lang ?? 'en');
  return page(ctx, 404, lang, {
    title: labels.pageWebGoneTitle ?? 'Not available',
    paragraphs: [labels.pageWebGoneText ?? 'This newsletter is no longer available.'],
  });
};

/** The variant a valid "read" token names, its language, and the token itself. */
interface Read {
  readonly render: Awaited<ReturnType<typeof storedRender>>;
  readonly language: string;
  readonly token: string;
  readonly claims: LinkClaims;
}

/**
 * Runs `answer` with the variant a valid "read" token names; a bad token gets a 400
 * page, an edition or variant that no longer exists a 404 page.
 */
const withRead =
  (
    tokenOf: (event: ApiEvent) => string | undefined,
    answer: (read: Read, req: OperationRequest) => ApiResult | Promise<ApiResult>,
  ): OperationHandler =>
  async (req) => {
    const { ctx, event } = req;
    const token = tokenOf(event);
    let claims: LinkClaims;
    try {
      claims = verifyLink(token, 'read', ctx.settings.signingKeys, ctx.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
      return badLinkPage(ctx.settings.templatesDir, ctx.editions.labels, event.headers?.['accept-language']);
    }
    const edition = claims.e ? await ctx.repos.editions.get(claims.e) : undefined;
    if (!edition || !claims.a || !claims.g || edition.post !== claims.o) return gone(ctx, claims.g);
    let render: Read['render'];
    try {
      render = await storedRender(ctx.editions, edition, claims.a, claims.g);
    } catch (error) {
      if (error instanceof NotFoundError) return gone(ctx, claims.g);
      throw error;
    }
    return answer({ render, language: claims.g, token: token ?? '', claims }, req);
  };

/** A 1x1 transparent GIF: the open pixel's answer, whatever the token. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const NO_CACHE = 'no-store, no-cache, must-revalidate, max-age=0';

/** Link targets per variant, per warm function: a click costs at most one small read. */
const linkCaches = new WeakMap<AppContext, Map<string, Promise<VariantLinks | undefined>>>();
const LINK_CACHE_SIZE = 2000;

function variantLinks(ctx: AppContext, e: string, a: string, g: string): Promise<VariantLinks | undefined> {
  let cache = linkCaches.get(ctx);
  if (!cache) {
    cache = new Map();
    linkCaches.set(ctx, cache);
  }
  return cachedPromise(
    cache,
    `${e}#${a}#${g}`,
    async () => {
      const stored = await ctx.repos.editions.getLinks(e, a, g);
      if (stored) return stored;
      // A render from before the links were kept apart: read it once (then cached).
      const edition = await ctx.repos.editions.get(e);
      if (!edition) return undefined;
      try {
        const render = await storedRender(ctx.editions, edition, a, g);
        return { links: render.links, linkItems: render.linkItems ?? [] };
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    LINK_CACHE_SIZE,
  );
}

/**
 * A token's claims: verified, or (for a link that no longer verifies: an old key, a
 * mangled copy) read without trust, only to find which edition link it names.
 */
function readClaims(ctx: AppContext, token: string | undefined): { claims?: LinkClaims; valid: boolean } {
  try {
    return { claims: verifyLink(token, 'read', ctx.settings.signingKeys, ctx.clock.now()), valid: true };
  } catch (error) {
    if (!(error instanceof InvalidLinkError)) throw error;
    const body = decodeBase64url(token?.split('.')[0] ?? '');
    try {
      const claims = body ? (JSON.parse(body.toString('utf8')) as LinkClaims) : undefined;
      return typeof claims === 'object' && claims !== null ? { claims, valid: false } : { valid: false };
    } catch {
      return { valid: false };
    }
  }
}

/** Queues what a reader did; a failure is logged, never shown to the reader. */
async function track(
  ctx: AppContext,
  req: OperationRequest,
  claims: LinkClaims,
  kind: 'open' | 'click' | 'web-view',
  extra: Partial<EngagementEvent> = {},
): Promise<void> {
  if (claims.z === 1 || !claims.e) return; // a test send's links count nothing
  const headers = req.event.headers ?? {};
  const event: EngagementEvent = {
    kind,
    id: randomUUID(),
    at: ctx.clock.now().toISOString(),
    editionId: claims.e,
    subscriberId: claims.s,
    ...(claims.o ? { post: claims.o } : {}),
    ...(claims.a ? { audience: claims.a } : {}),
    ...(claims.g ? { language: claims.g } : {}),
    classification: classifyRequest({
      method: req.event.requestContext?.http?.method ?? 'GET',
      userAgent: headers['user-agent'],
      kind,
    }),
    ...extra,
  };
  try {
    await ctx.eventQueue.send([event]);
  } catch (error) {
    ctx.log.warn('engagement event not queued', { kind, reason: (error as Error).message });
  }
}

/**
 * What a reader opens from an email, with the "read" token:
 *   GET /web?token=...      the web version of the variant they received (counts as an open)
 *   GET /r/{token}/{n}      a tracked link: redirect to the variant's n-th link, counts a click
 *   GET /o/{token}.gif      the open pixel: a 1x1 GIF, counts an open
 *   GET /web/manage?lang=   where the web version's preferences and unsubscribe links lead
 * None shows who the reader is: a forwarded link shows the newsletter, not its
 * recipient. A link that no longer verifies still leads where it led (its edition's
 * own link, never one from the request) and counts nothing.
 */
export const readerOperations: OperationsOf<'reader'> = {
  trackedLink: async (req) => {
    const { ctx, event } = req;
    const { claims, valid } = readClaims(ctx, event.pathParameters?.token);
    const labels = ctx.editions.labels(typeof claims?.g === 'string' ? claims.g : 'en');
    const unknown = () =>
      page(ctx, 404, typeof claims?.g === 'string' ? claims.g : undefined, {
        title: labels.linkUnavailableTitle ?? 'Link not available',
        paragraphs: [labels.linkUnavailable ?? 'This link is no longer available in this newsletter.'],
      });
    if (
      !claims ||
      typeof claims.e !== 'string' ||
      typeof claims.a !== 'string' ||
      typeof claims.g !== 'string'
    )
      return unknown();
    // Only the plain index the message wrote ("1", not "01", "0x1" or "1e0").
    const raw = event.pathParameters?.n ?? '';
    const n = /^(0|[1-9]\d{0,3})$/.test(raw) ? Number(raw) : Number.NaN;
    const variant = Number.isInteger(n) ? await variantLinks(ctx, claims.e, claims.a, claims.g) : undefined;
    const target = variant?.links[n];
    if (!target) return unknown();
    if (valid) {
      const item = variant.linkItems[n];
      await track(ctx, req, claims, 'click', {
        link: n,
        linkCount: variant.links.length,
        ...(item ? { item } : {}),
      });
    }
    // Only links of the edition itself: the token cannot be turned into an open redirect.
    return {
      statusCode: 302,
      headers: { location: target, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    };
  },
  openPixel: async (req) => {
    const name = req.event.pathParameters?.pixel ?? '';
    const { claims, valid } = readClaims(req.ctx, name.endsWith('.gif') ? name.slice(0, -4) : name);
    if (valid && claims) await track(req.ctx, req, claims, 'open');
    return {
      statusCode: 200,
      headers: {
        'content-type': 'image/gif',
        'cache-control': NO_CACHE,
        pragma: 'no-cache',
        expires: '0',
        'referrer-policy': 'no-referrer',
      },
      body: PIXEL.toString('base64'),
      isBase64Encoded: true,
    };
  },
  webVersion: withRead(
    (event) => event.queryStringParameters?.token,
    async ({ render, language, token, claims }, req) => {
      const { ctx } = req;
      await track(ctx, req, claims, 'web-view');
      const base = ctx.settings.publicBaseUrl;
      const click = `${base}/r/${encodeURIComponent(token)}/`;
      // The web version offers no unsubscribe (its read link may have been forwarded): those
      // links explain to use the email's own; "web version" is this page.
      const manage = `${base}/web/manage?lang=${encodeURIComponent(language)}`;
      const html = compilePersonaliser(
        render.html,
        ctx.editions.labels(language),
        'html',
      )({
        name: undefined,
        links: {
          web: `${base}/web?token=${encodeURIComponent(token)}`,
          preferences: manage,
          unsubscribe: manage,
          click,
        },
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
  webManageHelp: async ({ ctx, event }) => {
    const asked = Language.safeParse(event.queryStringParameters?.lang);
    const lang = asked.success ? asked.data : 'en';
    const labels = ctx.editions.labels(lang);
    return page(ctx, 200, lang, {
      title: labels.pageWebManageTitle ?? 'Manage your subscription',
      paragraphs: [
        labels.pageWebManageText ??
          'This page is the web version of a newsletter: it may have been forwarded, so it does not know who you are. To change your preferences or unsubscribe, use the links at the bottom of the email you received.',
      ],
    });
  },
};

export const makeReaderHandler = serveOperations('reader', readerOperations);

export const handler = lambdaHttpEntry(makeReaderHandler);
