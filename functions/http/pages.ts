import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { LANGUAGES, nameIn, type Post } from '../core/model';
import type { ApiResult } from './api';

/**
 * The subscribers' pages (subscribe form, confirmation, preference centre,
 * unsubscribe, their results and errors): plain HTML forms, no script, in the staff
 * app's look. The stylesheet is templates/styles/base.css, the one the app imports
 * too, inlined (no request to another origin) and allowed by its hash alone.
 * Handlebars escapes every value: nothing a person typed reaches the page as markup.
 */
const layout = Handlebars.compile(`<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{{#if errorCount}}{{errorsTitle}}: {{/if}}{{title}}</title>
<style>{{{styles}}}</style>
</head><body>
<header class="public-header">{{#with post}}<span class="post-name">{{#if logo}}<img src="{{logo}}" alt=""> {{/if}}{{name}}</span>{{/with}}
{{~#if languages}}<nav aria-label="{{languagesLabel}}"><ul>{{#each languages}}<li><a href="{{href}}" hreflang="{{code}}" lang="{{code}}"{{#if current}} aria-current="page"{{/if}}>{{name}}</a></li>{{/each}}</ul></nav>{{/if}}</header>
<main class="public-main">
<h1>{{title}}</h1>
{{#if errorCount}}<div class="error-summary" role="alert"><h2>{{errorsTitle}}</h2><ul>{{#each editor.fields}}{{#if error}}<li><a href="#{{target}}">{{error}}</a></li>{{/if}}{{/each}}</ul></div>{{/if}}
{{#if notice}}<p class="notice" role="status">{{notice}}</p>{{/if}}
{{#each paragraphs}}<p>{{this}}</p>{{/each}}
{{#if list}}<ul>{{#each list}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
{{#with editor}}<form method="post" action="{{action}}" novalidate>
{{#each fields}}{{#if checkboxes}}<fieldset id="{{id}}"{{#if error}} aria-describedby="{{id}}-error"{{/if}}><legend>{{label}}</legend>
{{#if error}}<p class="field-error" id="{{id}}-error">{{error}}</p>{{/if}}
{{#each options}}<div class="choice"><input type="checkbox" id="{{../id}}-{{@index}}" name="{{../name}}" value="{{value}}"{{#if checked}} checked{{/if}}{{#if ../error}} aria-invalid="true"{{/if}}{{#if hint}} aria-describedby="{{../id}}-{{@index}}-hint"{{/if}}>
<label for="{{../id}}-{{@index}}">{{label}}{{#if hint}} <small id="{{../id}}-{{@index}}-hint">{{hint}}</small>{{/if}}</label></div>
{{/each}}</fieldset>
{{else}}<div class="public-field"><label class="public-label" for="{{id}}">{{label}}</label>
{{#if hint}}<span class="hint" id="{{id}}-hint">{{hint}}</span>{{/if}}
{{#if error}}<p class="field-error" id="{{id}}-error">{{error}}</p>{{/if}}
{{#if select}}<select id="{{id}}" name="{{name}}"{{#if describedBy}} aria-describedby="{{describedBy}}"{{/if}}{{#if error}} aria-invalid="true"{{/if}}>{{#each options}}<option value="{{value}}"{{#if checked}} selected{{/if}}>{{label}}</option>{{/each}}</select>
{{else}}<input type="{{kind}}" id="{{id}}" name="{{name}}" value="{{value}}" maxlength="{{maxLength}}"{{#if autocomplete}} autocomplete="{{autocomplete}}"{{/if}}{{#if required}} required aria-required="true"{{/if}}{{#if describedBy}} aria-describedby="{{describedBy}}"{{/if}}{{#if error}} aria-invalid="true"{{/if}}>
{{/if}}</div>
{{/if}}{{/each}}
{{#if honeypot}}<div class="hp" aria-hidden="true"><label for="website">Website</label> <input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>{{/if}}
{{#each hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
{{/each}}{{#if note}}<p class="hint">{{note}}</p>{{/if}}
<button type="submit" class="primary">{{button}}</button>
</form>{{/with}}
{{#each links}}<p><a href="{{href}}">{{text}}</a></p>{{/each}}
{{#if forms}}<div class="public-actions">{{#each forms}}<form method="post" action="{{action}}"><button type="submit"{{#if @first}}{{#unless ../editor}} class="primary"{{/unless}}{{/if}}>{{button}}</button></form>{{/each}}</div>{{/if}}
</main></body></html>`);

/** The post a page speaks for: its name in the reader's language, its colour, its logo. */
export interface PagePost {
  readonly name: string;
  /** #rrggbb (Post's schema checks it): the band on top of the page. */
  readonly colour: string;
  readonly logo?: string;
}

/** The first language of an Accept-Language header that labels exist for, else English (a bad link names none). */
export const browserLanguage = (header: string | undefined): string =>
  (header ?? '')
    .split(',')
    .map((part) => part.split(';')[0]?.trim().slice(0, 2).toLowerCase() ?? '')
    .find((code) => (LANGUAGES as readonly string[]).includes(code)) ?? 'en';

/** The post's band, name and logo on its pages, in the reader's language. */
export const pagePost = (post: Post | undefined, lang: string): PagePost | undefined =>
  post && { name: nameIn(post, lang), colour: post.branding.primaryColor, logo: post.branding.logoUrl };

export interface PageField {
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'email' | 'select' | 'checkboxes';
  readonly value?: string;
  readonly options?: readonly {
    readonly value: string;
    readonly label: string;
    readonly checked: boolean;
    readonly hint?: string;
  }[];
  readonly hint?: string;
  /** The server's message about this field, shown next to it and in the summary on top. */
  readonly error?: string;
  readonly required?: boolean;
  readonly maxLength?: number;
  readonly autocomplete?: string;
}

export interface PageEditor {
  readonly action: string;
  readonly button: string;
  readonly fields: readonly PageField[];
  readonly hidden?: readonly { readonly name: string; readonly value: string }[];
  /** A field people leave empty and bots fill in (the subscribe form). */
  readonly honeypot?: boolean;
  /** A line above the button (the consent text). */
  readonly note?: string;
}

export interface PageContent {
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly lang?: string;
  readonly post?: PagePost | undefined;
  /** What just happened ("Your preferences are saved"), announced to screen readers. */
  readonly notice?: string;
  /** A bulleted list under the paragraphs. */
  readonly list?: readonly string[];
  /** A form of fields posting to its action; no JavaScript. */
  readonly editor?: PageEditor;
  /** Heading of the error summary, in the page's language (needed when a field has an error). */
  readonly errorsTitle?: string;
  /** Plain links (same site), one per line, before the buttons. */
  readonly links?: readonly { readonly href: string; readonly text: string }[];
  /** Buttons, each posting to its own action (the first is the main one, unless the page has an editor). */
  readonly forms?: readonly { readonly action: string; readonly button: string }[];
  /** This page in other languages, each named in its own. */
  readonly languages?: readonly {
    readonly code: string;
    readonly name: string;
    readonly href: string;
    readonly current: boolean;
  }[];
  readonly languagesLabel?: string;
  /** Where the editor's form posts when not this origin (the public URL may spell the host otherwise). */
  readonly formOrigin?: string;
}

const sheets = new Map<string, string>();

/** The shared stylesheet (templates/styles/base.css), read once per warm function. */
export function pageStyles(templatesDir: string): string {
  let css = sheets.get(templatesDir);
  if (css === undefined) {
    css = readFileSync(join(templatesDir, 'styles', 'base.css'), 'utf8');
    sheets.set(templatesDir, css);
  }
  return css;
}

/**
 * The form field a domain error is about: its one-line message names the field
 * ("subscribe: audiences.0: ...", "preferences: postLanguage \"de\" is not ..."), and
 * `fields` maps those names to the form's.
 */
export function errorField(message: string, fields: Readonly<Record<string, string>>): string | undefined {
  for (const part of message.split(': ')) {
    const name = part.split(/[.\s"]/)[0] ?? '';
    if (Object.hasOwn(fields, name)) return fields[name];
  }
  return undefined;
}

const fieldId = (name: string) => `field-${name}`;

/** What the template needs of a field: its ids, which control it is, what describes it. */
function fieldView(f: PageField) {
  const id = fieldId(f.name);
  const describedBy = [f.hint ? `${id}-hint` : '', f.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    ...f,
    id,
    // The summary's link leads to the control itself (a group's first box).
    target: f.kind === 'checkboxes' ? `${id}-0` : id,
    describedBy,
    maxLength: f.maxLength ?? 120,
    // Handlebars has no equality helper: each field says which control it is.
    [f.kind]: true,
  };
}

/** An HTML page with its headers; the CSP allows this page's own style element and nothing else runs. */
export function renderPage(styles: string, statusCode: number, content: PageContent): ApiResult {
  // The post's colour comes into the one style element; its hash covers it too.
  const css = content.post ? `${styles}\n:root{--post-colour:${content.post.colour}}` : styles;
  const hash = createHash('sha256').update(css).digest('base64');
  const fields = content.editor?.fields.map(fieldView) ?? [];
  const errorCount = fields.filter((f) => f.error).length;
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // No script at all; the post's logo may come from its own site.
      'content-security-policy': [
        "default-src 'none'",
        `style-src 'sha256-${hash}'`,
        ...(content.post?.logo ? ['img-src https: http:'] : []),
        `form-action 'self'${content.formOrigin ? ` ${content.formOrigin}` : ''}`,
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'referrer-policy': 'no-referrer',
    },
    body: layout({
      lang: 'en',
      ...content,
      styles: css,
      errorCount,
      editor: content.editor && { ...content.editor, fields },
    }),
  };
}

/** The page renderer of a deployment: its templates folder holds the stylesheet. */
export const publicPages =
  (templatesDir: string) =>
  (statusCode: number, content: PageContent): ApiResult =>
    renderPage(pageStyles(templatesDir), statusCode, content);

/**
 * Where a manage or read link that does not verify leads: a 400 page in the browser's
 * language (the link names none), saying what to do rather than what failed.
 */
export function badLinkPage(
  templatesDir: string,
  labelsOf: (language: string) => Readonly<Record<string, string>>,
  acceptLanguage: string | undefined,
): ApiResult {
  const lang = browserLanguage(acceptLanguage);
  const labels = labelsOf(lang);
  return publicPages(templatesDir)(400, {
    lang,
    title: labels.confirmInvalidTitle ?? 'This link does not work',
    paragraphs: [
      labels.pageLinkInvalidText ??
        'This link is not valid: it may be incomplete or too old. Use the links of the latest email you received.',
    ],
  });
}
