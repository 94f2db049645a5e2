import * as z from 'zod';
import { MAIL } from '../app';
import { MissiveError, NotFoundError } from '../core/errors';
import { LANGUAGES, type Post } from '../core/model';
import { InvalidLinkError, type LinkClaims, verifyLink } from '../core/signed-links';
import { parseInput } from '../core/validation';
import { type ApiEvent, type ApiResult, json } from '../http/api';
import { jsonBody, parseBody } from '../http/body';
import { type OperationHandler, type OperationsOf, serveOperations } from '../http/operations';
import { htmlPage, subscribeFormPage } from '../http/pages';
import { staffCaller } from '../http/pipeline';
import { consentText, formStamp } from '../subscribers/consent';
import {
  addByStaff,
  confirmSubscription,
  languageFor,
  postFor,
  requestSubscription,
} from '../subscribers/subscribe';
import { lambdaHttpEntry } from './entry';

const LANGUAGE_NAMES: Record<string, string> = {
  fr: 'Français',
  nl: 'Nederlands',
  en: 'English',
  de: 'Deutsch',
};

/** What a form or JSON body may carry; one value or several for the audiences. */
const SubscribeBody = z.object({
  email: z.string().max(320),
  name: z.string().max(500).optional(),
  language: z.string().max(10).optional(),
  audiences: z.union([z.string().max(40), z.array(z.string().max(40)).max(20)]).optional(),
  website: z.string().max(500).optional(),
  stamp: z.string().max(200).optional(),
  consentText: z
    .string()
    .regex(/^ct_[A-Za-z0-9_-]{22}$/, 'must be the id the form carries')
    .optional(),
});

const StaffAddBody = z.object({
  email: z.string().max(320),
  name: z.string().max(500).optional(),
  language: z.string().max(10).optional(),
  audiences: z.array(z.string().max(40)).min(1).max(20),
});

const isForm = (event: ApiEvent) =>
  (event.headers?.['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

/** The form's fields (repeated `audiences`/`audience` fields make the list). */
function formFields(event: ApiEvent): Record<string, unknown> {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const params = new URLSearchParams(raw);
  const fields: Record<string, unknown> = {};
  for (const [k, v] of params) if (k !== 'audiences' && k !== 'audience') fields[k] = v;
  fields.audiences = [...params.getAll('audiences'), ...params.getAll('audience')];
  return fields;
}

const labelsFor = (ctx: Parameters<OperationHandler>[0]['ctx'], post: Post | undefined, lang: string) => {
  const labels = ctx.subscribe.labels(lang);
  return (key: string, fallback: string) => (labels[key] ?? fallback).replaceAll('{post}', post?.name ?? '—');
};

/** The first language of an Accept-Language header that labels exist for, else English. */
const browserLanguage = (header: string | undefined): string =>
  (header ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim().slice(0, 2).toLowerCase() ?? '')
    .find((code) => (LANGUAGES as readonly string[]).includes(code)) ?? 'en';

/** A page for a post that does not exist (the public routes answer HTML). */
const noPost = (error: unknown) => {
  if (error instanceof NotFoundError)
    return htmlPage(404, { title: 'Not found', paragraphs: [error.message] });
  throw error;
};

/** Runs `page` for a valid confirm link; an invalid or expired one gets a 400 page saying why. */
const withConfirmLink =
  (
    page: (claims: LinkClaims, self: string, req: Parameters<OperationHandler>[0]) => Promise<ApiResult>,
  ): OperationHandler =>
  async (req) => {
    const token = req.event.queryStringParameters?.token;
    let claims: LinkClaims;
    try {
      claims = verifyLink(token, 'confirm', req.ctx.settings.signingKeys, req.ctx.clock.now());
    } catch (error) {
      if (!(error instanceof InvalidLinkError)) throw error;
      // A bad link names no post or language: the browser's language, when we write in it.
      const lang = browserLanguage(req.event.headers?.['accept-language']);
      const t = labelsFor(req.ctx, undefined, lang);
      return htmlPage(400, {
        lang,
        title: t('confirmInvalidTitle', 'This link does not work'),
        paragraphs: [
          t(
            'confirmInvalidText',
            'This confirmation link is not valid: it may be incomplete or expired (links last a few days). Subscribe again to get a new one.',
          ),
        ],
      });
    }
    return page(claims, `?token=${encodeURIComponent(token ?? '')}`, req);
  };

/**
 * GET  /posts/{code}/subscribe   the hosted form (?lang=), plain HTML, no script
 * POST /posts/{code}/subscribe   form-encoded (an HTML page back) or JSON (202)
 * GET  /confirm?token=           asks to confirm (mail scanners follow GET links)
 * POST /confirm?token=           confirms, mails the welcome
 * POST /posts/{code}/subscribers staff add one person (a confirmation mail), audited
 */
export const subscribeOperations: OperationsOf<'subscribe'> = {
  subscribeForm: async ({ ctx, event }) => {
    const code = event.pathParameters?.code ?? '';
    let post: Post;
    try {
      post = await postFor(ctx.subscribe, code);
    } catch (error) {
      return noPost(error);
    }
    const lang = languageFor(post, event.queryStringParameters?.lang);
    const t = labelsFor(ctx, post, lang);
    const consent = consentText(ctx.subscribe.labels(lang), lang, post.name);
    // Stored as shown (once per version), so a post's copy of this form keeps naming it.
    await ctx.subscribe.store.putConsentText({ ...consent, at: ctx.clock.now().toISOString() });
    return subscribeFormPage({
      lang,
      title: t('subscribeTitle', 'Subscribe to the newsletter of {post}'),
      action: `${ctx.settings.publicBaseUrl}/posts/${encodeURIComponent(post.code)}/subscribe`,
      color: post.branding.primaryColor,
      logo: post.branding.logoUrl,
      postName: post.name,
      audiences: post.audiences.map((a) => ({
        id: a.id,
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        checked: post.audiences.length === 1,
      })),
      languages: post.languages.map((l) => ({ code: l, name: LANGUAGE_NAMES[l] ?? l, selected: l === lang })),
      labels: {
        audiencesLabel: t('subscribeAudiences', 'Newsletters'),
        languageLabel: t('subscribeLanguage', 'Language'),
        nameLabel: t('subscribeName', 'Name (optional)'),
        emailLabel: t('subscribeEmail', 'Email address'),
        button: t('subscribeButton', 'Subscribe'),
      },
      stamp: formStamp(ctx.settings.signingKeys, ctx.clock.now()),
      consent: consent.text,
      consentId: consent.id,
    });
  },
  subscribe: async ({ ctx, event }) => {
    const code = event.pathParameters?.code ?? '';
    const form = isForm(event);
    const where = 'subscribe';
    let language: string | undefined;
    try {
      const body = form
        ? parseInput(SubscribeBody, formFields(event), where)
        : parseBody(event, SubscribeBody, where);
      language = body.language;
      const audiences = body.audiences === undefined ? [] : ([] as string[]).concat(body.audiences);
      await requestSubscription(ctx.subscribe, {
        post: code,
        email: body.email,
        name: body.name,
        language: body.language,
        audiences,
        source: `form:${code}`,
        client: `${event.requestContext?.http?.sourceIp ?? ''}|${event.requestContext?.http?.userAgent ?? ''}`,
        honeypot: body.website,
        stamp: body.stamp,
        shownText: body.consentText,
      });
    } catch (error) {
      if (!form || !(error instanceof MissiveError) || error.httpStatus >= 500) throw error;
      const post = await ctx.repos.posts.get(code);
      const lang = post ? languageFor(post, language) : 'en';
      const t = labelsFor(ctx, post, lang);
      return htmlPage(error.httpStatus, {
        lang,
        title: t('subscribeErrorTitle', 'Please check the form'),
        paragraphs: [error.message],
      });
    }
    if (!form) return json(202, { status: 'check-your-inbox' });
    const post = await ctx.repos.posts.get(code);
    const lang = post ? languageFor(post, language) : 'en';
    const t = labelsFor(ctx, post, lang);
    // The same page whatever happened: it must not say whether the address was known.
    return htmlPage(200, {
      lang,
      title: t('subscribeThanksTitle', 'Check your inbox'),
      paragraphs: [
        t(
          'subscribeThanksText',
          'If the address is right, a message is on its way: open the link in it to confirm your subscription.',
        ),
      ],
    });
  },
  confirmPage: withConfirmLink(async (claims, self, { ctx }) => {
    const post = claims.o ? await ctx.repos.posts.get(claims.o) : undefined;
    const lang = post ? languageFor(post, claims.g) : 'en';
    const t = labelsFor(ctx, post, lang);
    return htmlPage(200, {
      lang,
      title: t('confirmPageTitle', 'Confirm your subscription'),
      paragraphs: [t('confirmPageText', 'Do you want to receive the newsletter of {post}?')],
      forms: [{ action: self, button: t('confirmButton', 'Confirm my subscription') }],
    });
  }),
  confirm: withConfirmLink(async (claims, _self, { ctx }) => {
    const outcome = await confirmSubscription(ctx.subscribe, claims);
    const t = labelsFor(ctx, outcome.post, outcome.language);
    if (outcome.kind === 'nothing') {
      return htmlPage(410, {
        lang: outcome.language,
        title: t('confirmNothingTitle', 'Nothing to confirm'),
        paragraphs: [
          t(
            'confirmNothingText',
            'This request has expired or was withdrawn. Subscribe again to get a new confirmation link.',
          ),
        ],
      });
    }
    return htmlPage(200, {
      lang: outcome.language,
      title: t('confirmedTitle', 'Your subscription is confirmed'),
      paragraphs: [t('confirmedText', 'Thank you. You will receive the newsletter of {post}.')],
    });
  }),
  addSubscriber: async ({ ctx, event, caller }) => {
    const code = event.pathParameters?.code ?? '';
    const body = parseInput(StaffAddBody, event.body ? jsonBody(event) : undefined, 'subscriber');
    const outcome = await addByStaff({ ...ctx.subscribe, audit: ctx.audit }, staffCaller(caller).id, {
      post: code,
      email: body.email,
      name: body.name,
      language: body.language,
      audiences: body.audiences,
    });
    return json(202, { status: outcome === 'sent' ? 'confirmation-sent' : 'no-confirmation-sent' });
  },
};

export const makeSubscribeHandler = serveOperations('subscribe', subscribeOperations);

export const handler = lambdaHttpEntry(makeSubscribeHandler, MAIL);
