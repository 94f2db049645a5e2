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
form{margin:.8rem 0}button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d3b6f;color:#fff;cursor:pointer}</style>
</head><body><h1>{{title}}</h1>{{#each paragraphs}}<p>{{this}}</p>{{/each}}
{{#each forms}}<form method="post" action="{{action}}"><button type="submit">{{button}}</button></form>{{/each}}
</body></html>`);

export interface PageContent {
  readonly title: string;
  readonly paragraphs: readonly string[];
  /** Buttons, each posting to its own action (the first is the main one). */
  readonly forms?: readonly { readonly action: string; readonly button: string }[];
  readonly lang?: string;
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
  body: layout({ lang: 'en', ...content }),
});
