import * as z from 'zod';
import { MAIL } from '../app';
import { MissiveError, NotFoundError } from '../core/errors';
import { Language, nameIn, type Post } from '../core/model';
import { InvalidLinkError, type LinkClaims, verifyLink } from '../core/signed-links';
import { parseInput } from '../core/validation';
import { type ApiEvent, type ApiResult, json } from '../http/api';
import { jsonBody, parseBody } from '../http/body';
import { type OperationHandler, type OperationsOf, serveOperations } from '../http/operations';
import { browserLanguage, errorField, type PageField, pagePost, publicPages } from '../http/pages';
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
  // The post as the reader of this language calls it ("Ambassade de Belgique au Japon").
  return (key: string, fallback: string) =>
    (labels[key] ?? fallback).replaceAll('{post}', post ? nameIn(post, lang) : '—');
};

/** The renderer of the subscribers' pages, with the deployment's stylesheet. */
const pagesOf = (ctx: Parameters<OperationHandler>[0]['ctx']) => publicPages(ctx.settings.templatesDir);

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
      return pagesOf(req.ctx)(400, {
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

/** The form's fields, as the domain's one-line errors name them ("email: ...", "subscribe: audiences: ..."). */
const FORM_FIELDS = { email: 'email', name: 'name', audiences: 'audiences', language: 'language' } as const;
type FormField = keyof typeof FORM_FIELDS;

/** What the person sent, to show the form again as they filled it in. */
interface FormValues {
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  readonly language?: string | undefined;
  readonly audiences?: readonly string[];
}

/**
 * The hosted form in the reader's language: the post's and audiences' names in it,
 * the language links, and (sent back) what was typed with the message next to its field.
 */
async function formPage(
  ctx: Parameters<OperationHandler>[0]['ctx'],
  post: Post,
  lang: Language,
  sent?: { values: FormValues; field: FormField | undefined; status: number },
): Promise<ApiResult> {
  const t = labelsFor(ctx, post, lang);
  const consent = consentText(ctx.subscribe.labels(lang), lang, nameIn(post, lang));
  // Stored as shown (once per version), so a post's copy of this form keeps naming it.
  await ctx.subscribe.store.putConsentText({ ...consent, at: ctx.clock.now().toISOString() });
  const values = sent?.values ?? {};
  const errorOf = (field: FormField, key: string, fallback: string) =>
    sent?.field === field ? { error: t(key, fallback) } : {};
  const action = `${ctx.settings.publicBaseUrl}/posts/${encodeURIComponent(post.code)}/subscribe`;
  const chosen =
    values.language && post.languages.includes(values.language as Language) ? values.language : lang;
  const fields: PageField[] = [
    {
      name: 'audiences',
      kind: 'checkboxes',
      label: t('subscribeAudiences', 'Newsletters'),
      options: post.audiences.map((a) => ({
        value: a.id,
        label: nameIn(a, lang),
        // The description is written once, in the post's own language.
        ...(a.description && lang === post.defaultLanguage ? { hint: a.description } : {}),
        checked: values.audiences ? values.audiences.includes(a.id) : post.audiences.length === 1,
      })),
      ...errorOf('audiences', 'subscribeErrorAudiences', 'Choose at least one newsletter'),
    },
    {
      name: 'language',
      kind: 'select',
      label: t('subscribeLanguage', 'Language'),
      options: post.languages.map((l) => ({
        value: l,
        label: LANGUAGE_NAMES[l] ?? l,
        checked: l === chosen,
      })),
      ...errorOf('language', 'subscribeErrorLanguage', 'Choose one of the languages offered'),
    },
    {
      name: 'name',
      kind: 'text',
      label: t('subscribeName', 'Name (optional)'),
      value: values.name ?? '',
      autocomplete: 'name',
      ...errorOf('name', 'subscribeErrorName', 'A name can have at most 120 characters'),
    },
    {
      name: 'email',
      kind: 'email',
      label: t('subscribeEmail', 'Email address'),
      value: values.email ?? '',
      autocomplete: 'email',
      required: true,
      maxLength: 254,
      ...errorOf('email', 'subscribeErrorEmail', 'Enter a valid email address, like name@example.org'),
    },
  ];
  const title = t('subscribeTitle', 'Subscribe to the newsletter of {post}');
  return pagesOf(ctx)(sent?.status ?? 200, {
    lang,
    title,
    post: pagePost(post, lang),
    // An error no field explains (rare): said above the form.
    paragraphs:
      sent && !sent.field
        ? [t('subscribeErrorText', 'Something in the form is not right: check it and send it again.')]
        : [],
    errorsTitle: t('pageErrorSummary', 'There is a problem'),
    ...(post.languages.length > 1
      ? {
          languagesLabel: t('pageOtherLanguages', 'This page in another language'),
          languages: post.languages.map((l) => ({
            code: l,
            name: LANGUAGE_NAMES[l] ?? l,
            href: `?lang=${l}`,
            current: l === lang,
          })),
        }
      : {}),
    editor: {
      action,
      button: t('subscribeButton', 'Subscribe'),
      fields,
      honeypot: true,
      // A fresh stamp: the minimum fill time counts from this page too.
      hidden: [
        { name: 'stamp', value: formStamp(ctx.settings.signingKeys, ctx.clock.now()) },
        { name: 'consentText', value: consent.id },
        // Which language the page was in, so the answer speaks it whatever language is chosen.
        { name: 'page', value: lang },
      ],
      note: consent.text,
    },
    // The form posts to the public URL, which may be another spelling of this host (localhost / 127.0.0.1).
    formOrigin: new URL(action).origin,
  });
}

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
    const asked = event.queryStringParameters?.lang;
    let post: Post;
    try {
      post = await postFor(ctx.subscribe, code);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const lang = Language.safeParse(asked).data ?? browserLanguage(event.headers?.['accept-language']);
      const t = labelsFor(ctx, undefined, lang);
      return pagesOf(ctx)(404, {
        lang,
        title: t('pageNotFoundTitle', 'Page not found'),
        paragraphs: [
          t(
            'pageNotFoundText',
            'There is no subscription form at this address. Check the link you followed.',
          ),
        ],
      });
    }
    return formPage(ctx, post, languageFor(post, asked));
  },
  subscribe: async ({ ctx, event }) => {
    const code = event.pathParameters?.code ?? '';
    const form = isForm(event);
    const where = 'subscribe';
    const fields = form ? formFields(event) : {};
    try {
      const body = form ? parseInput(SubscribeBody, fields, where) : parseBody(event, SubscribeBody, where);
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
      const post = error instanceof NotFoundError ? undefined : await ctx.repos.posts.get(code);
      const text = (key: string) => (typeof fields[key] === 'string' ? (fields[key] as string) : undefined);
      const lang = post ? languageFor(post, text('page') ?? text('language')) : 'en';
      if (!post) {
        const t = labelsFor(ctx, undefined, lang);
        return pagesOf(ctx)(error.httpStatus, {
          lang,
          title: t('pageNotFoundTitle', 'Page not found'),
          paragraphs: [
            t(
              'pageNotFoundText',
              'There is no subscription form at this address. Check the link you followed.',
            ),
          ],
        });
      }
      // The form again, as filled in, with the message next to the field it is about.
      return formPage(ctx, post, lang, {
        values: {
          email: text('email'),
          name: text('name'),
          language: text('language'),
          audiences: (fields.audiences as string[] | undefined) ?? [],
        },
        field: errorField(error.message, FORM_FIELDS) as FormField | undefined,
        status: error.httpStatus,
      });
    }
    if (!form) return json(202, { status: 'check-your-inbox' });
    const post = await ctx.repos.posts.get(code);
    const lang = post
      ? languageFor(post, (fields.page as string | undefined) ?? (fields.language as string | undefined))
      : 'en';
    const t = labelsFor(ctx, post, lang);
    // The same page whatever happened: it must not say whether the address was known.
    return pagesOf(ctx)(200, {
      lang,
      title: t('subscribeThanksTitle', 'Check your inbox'),
      post: pagePost(post, lang),
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
    return pagesOf(ctx)(200, {
      lang,
      post: pagePost(post, lang),
      title: t('confirmPageTitle', 'Confirm your subscription'),
      paragraphs: [t('confirmPageText', 'Do you want to receive the newsletter of {post}?')],
      forms: [{ action: self, button: t('confirmButton', 'Confirm my subscription') }],
    });
  }),
  confirm: withConfirmLink(async (claims, _self, { ctx }) => {
    const outcome = await confirmSubscription(ctx.subscribe, claims);
    const t = labelsFor(ctx, outcome.post, outcome.language);
    if (outcome.kind === 'nothing') {
      return pagesOf(ctx)(410, {
        lang: outcome.language,
        post: pagePost(outcome.post, outcome.language),
        title: t('confirmNothingTitle', 'Nothing to confirm'),
        paragraphs: [
          t(
            'confirmNothingText',
            'This request has expired or was withdrawn. Subscribe again to get a new confirmation link.',
          ),
        ],
      });
    }
    return pagesOf(ctx)(200, {
      lang: outcome.language,
      post: pagePost(outcome.post, outcome.language),
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
