import Handlebars from 'handlebars';
import type { ApiResult } from './api';

/**
 * Small HTML pages for subscribers (unsubscribe, errors). Handlebars escapes every
 * value by default: nothing a person typed reaches the page as markup.
 */
const layout = Handlebars.compile(`<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{{title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
form{margin:.8rem 0}fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.3rem}button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d3b6f;color:#fff;cursor:pointer}</style>
</head><body><h1>{{title}}</h1>{{#each paragraphs}}<p>{{this}}</p>{{/each}}
{{#if list}}<ul>{{#each list}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
{{#with editor}}<form method="post" action="{{action}}">{{#each fields}}<fieldset><legend>{{label}}</legend>
{{~#if text}}<input type="text" name="{{name}}" value="{{value}}" maxlength="120" aria-label="{{label}}">{{/if~}}
{{~#if select}}<select name="{{name}}" aria-label="{{label}}">{{#each options}}<option value="{{value}}"{{#if checked}} selected{{/if}}>{{label}}</option>{{/each}}</select>{{/if~}}
{{~#if checkboxes}}{{#each options}}<label><input type="checkbox" name="{{../name}}" value="{{value}}"{{#if checked}} checked{{/if}}> {{label}}</label><br>{{/each}}{{/if~}}
</fieldset>{{/each}}<button type="submit">{{button}}</button></form>{{/with}}
{{#each links}}<p><a href="{{href}}">{{text}}</a></p>{{/each}}
{{#each forms}}<form method="post" action="{{action}}"><button type="submit">{{button}}</button></form>{{/each}}
</body></html>`);

export interface PageContent {
  readonly title: string;
  readonly paragraphs: readonly string[];
  /** Buttons, each posting to its own action (the first is the main one). */
  readonly forms?: readonly { readonly action: string; readonly button: string }[];
  readonly lang?: string;
  /** A bulleted list under the paragraphs. */
  readonly list?: readonly string[];
  /** A form of fields (text, one choice, several choices) posting to its action; no JavaScript. */
  readonly editor?: PageEditor;
  /** Plain links (same site), one per line, before the buttons. */
  readonly links?: readonly { readonly href: string; readonly text: string }[];
}

export interface PageField {
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'select' | 'checkboxes';
  readonly value?: string;
  readonly options?: readonly { readonly value: string; readonly label: string; readonly checked: boolean }[];
}

export interface PageEditor {
  readonly action: string;
  readonly button: string;
  readonly fields: readonly PageField[];
}

export const htmlPage = (statusCode: number, content: PageContent): ApiResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'referrer-policy': 'no-referrer',
  },
  body: layout({
    lang: 'en',
    ...content,
    // Handlebars has no equality helper: each field says which control it is.
    editor: content.editor && {
      ...content.editor,
      fields: content.editor.fields.map((f) => ({ ...f, [f.kind]: true })),
    },
  }),
});

/** A post's subscribe form: plain HTML (works without JavaScript, and copied onto a post's own site). */
const subscribeForm = Handlebars.compile(`<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
header{border-top:6px solid {{color}};padding-top:1rem}header img{max-height:56px}
label{display:block;margin:.5rem 0}input[type=text],input[type=email],select{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
fieldset{border:1px solid #ccc;margin:1rem 0}.hp{position:absolute;left:-10000px}
button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:{{color}};color:#fff;cursor:pointer}
nav a{margin-right:.6rem}small{color:#555}</style>
</head><body><header><img src="{{logo}}" alt="{{postName}}"></header><h1>{{title}}</h1>
{{#if languages.[1]}}<nav>{{#each languages}}<a href="?lang={{code}}" hreflang="{{code}}">{{code}}</a>{{/each}}</nav>{{/if}}
<form method="post" action="{{action}}">
<fieldset><legend>{{audiencesLabel}}</legend>{{#each audiences}}<label><input type="checkbox" name="audiences" value="{{id}}"{{#if checked}} checked{{/if}}> {{name}}</label>{{#if description}}<small>{{description}}</small>{{/if}}{{/each}}</fieldset>
<label>{{languageLabel}} <select name="language">{{#each languages}}<option value="{{code}}"{{#if selected}} selected{{/if}}>{{name}}</option>{{/each}}</select></label>
<label>{{nameLabel}} <input type="text" name="name" maxlength="120" autocomplete="name"></label>
<label>{{emailLabel}} <input type="email" name="email" required maxlength="254" autocomplete="email"></label>
<label class="hp" aria-hidden="true">Website <input type="text" name="website" tabindex="-1" autocomplete="off"></label>
<input type="hidden" name="stamp" value="{{stamp}}">
<p><small>{{consent}}</small></p>
<input type="hidden" name="consentText" value="{{consentId}}">
<button type="submit">{{button}}</button>
</form></body></html>`);

export interface SubscribeFormContent {
  readonly lang: string;
  readonly title: string;
  readonly action: string;
  readonly color: string;
  readonly logo: string;
  readonly postName: string;
  readonly audiences: readonly { id: string; name: string; description?: string; checked: boolean }[];
  readonly languages: readonly { code: string; name: string; selected: boolean }[];
  readonly labels: {
    readonly audiencesLabel: string;
    readonly languageLabel: string;
    readonly nameLabel: string;
    readonly emailLabel: string;
    readonly button: string;
  };
  readonly stamp: string;
  readonly consent: string;
  readonly consentId: string;
}

export const subscribeFormPage = (content: SubscribeFormContent): ApiResult => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // No script at all; the post's logo may come from its own site; the form posts to the
    // public URL, which may be another spelling of this host (localhost / 127.0.0.1).
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; form-action 'self' ${new URL(content.action).origin}`,
    'referrer-policy': 'no-referrer',
  },
  body: subscribeForm({ ...content, ...content.labels }),
});
