import { session } from './api';
import { signOut } from './auth';
import { field, h } from './dom';
import { LANGS, lang, setLang, t, tv, type UiLang } from './i18n';
import { has } from './session';

const main = () => document.getElementById('main') as HTMLElement;

export const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function errorBox(e: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, `${t('error')}: ${message(e)}`);
}

/** Each page: a heading that takes the focus, so keyboard and screen-reader users land on it. */
export function page(title: string, ...content: (Node | false | undefined)[]): void {
  const m = main();
  const heading = h('h1', { tabindex: -1 }, title);
  m.replaceChildren(heading, ...content.filter((c): c is Node => Boolean(c)));
  document.title = `${title} · missive`;
  heading.focus();
}

export const statusBadge = (status: string) =>
  h('span', { class: `badge s-${status}` }, tv('status', status));

/** The top bar: the pages the person's roles open, the language, who is signed in. `rerender` redraws
 * the page in a newly chosen language. */
export function header(rerender: () => void): void {
  const top = document.getElementById('top') as HTMLElement;
  const s = session();
  const langSelect = h(
    'select',
    {
      onchange: (e: Event) => {
        setLang((e.target as HTMLSelectElement).value as UiLang);
        rerender();
      },
    },
    LANGS.map((l) => h('option', { value: l, selected: l === lang() }, l.toUpperCase())),
  );
  const links: [string, string, boolean][] = s
    ? [
        ['#/editions', t('editions'), has(s, 'post-editor', 'post-approver')],
        ['#/review', t('review'), has(s, 'post-approver', 'spokesperson')],
        ['#/reports', t('reports'), has(s, 'analyst', 'hq-editor', 'spokesperson', 'admin', 'post-editor')],
        ['#/crisis', t('crisis'), has(s, 'spokesperson', 'admin')],
        ['#/content', t('content'), has(s, 'hq-editor', 'post-editor', 'spokesperson', 'admin')],
        ['#/broadcast', t('broadcasts'), has(s, 'hq-editor', 'admin')],
      ]
    : [];
  top.replaceChildren(
    h(
      'nav',
      { 'aria-label': 'missive' },
      h('span', { class: 'brand' }, t('appName')),
      h(
        'ul',
        {},
        links
          .filter(([, , ok]) => ok)
          .map(([href, label]) =>
            h(
              'li',
              {},
              h('a', { href, 'aria-current': location.hash.startsWith(href) ? 'page' : undefined }, label),
            ),
          ),
      ),
      field(t('language'), langSelect),
      s &&
        h(
          'span',
          { class: 'who' },
          `${t('signedInAs')} ${s.user.name} `,
          h(
            'button',
            {
              type: 'button',
              // On AWS through the hosted UI's /logout (auth.ts), else it would sign the person back in.
              onclick: () => void signOut(),
            },
            t('signOut'),
          ),
        ),
    ),
  );
  (document.querySelector('.skip') as HTMLElement).textContent = t('skip');
}
