import type { FieldDifference, WordingReport } from '../../../functions/editions/wording';
import { getJson, session } from '../api';
import { field, h } from '../dom';
import { t } from '../i18n';
import { errorBox, page, statusBadge } from '../layout';
import type { ContentItem } from '../model';
import { has } from '../session';

/**
 * A post's words against HQ's: inserted and deleted runs marked, every run put in as
 * text; screen readers, which often say nothing of <ins> and <del>, hear which is which.
 */
const difference = (label: string, d: FieldDifference) =>
  h(
    'p',
    {},
    `${label}: `,
    d.changes.flatMap((c): (HTMLElement | string)[] =>
      c.added
        ? [h('span', { class: 'visually-hidden' }, `${t('inserted')}: `), h('ins', {}, c.text)]
        : c.removed
          ? [h('span', { class: 'visually-hidden' }, `${t('deleted')}: `), h('del', {}, c.text)]
          : [c.text],
    ),
  );

/** Each post's edition that put the story in its own words (the on-the-record rule), filled in the cell. */
async function showWording(cell: HTMLElement, itemId: string): Promise<void> {
  try {
    const { changes } = await getJson<WordingReport>(`/content/${encodeURIComponent(itemId)}/wording`);
    cell.replaceChildren(
      changes.length === 0
        ? t('unchanged')
        : h(
            'ul',
            { class: 'wording-changes' },
            changes.map((c) =>
              h(
                'li',
                { 'data-post': c.post, 'data-lang': c.language },
                h('strong', {}, c.post),
                ` · ${c.editionTitle} · ${c.language.toUpperCase()} `,
                statusBadge(c.status),
                c.title && difference(t('wordingTitle'), c.title),
                c.summary && difference(t('wordingSummary'), c.summary),
              ),
            ),
          ),
    );
  } catch (err) {
    cell.replaceChildren(errorBox(err));
  }
}

/**
 * Central content by story: which languages each story exists in (translation status);
 * for HQ, where posts changed its wording, the difference from HQ's text.
 */
export async function contentPage(): Promise<void> {
  const s = session();
  // The roles that may read central content (an analyst reads reports).
  if (!s || !has(s, 'post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'))
    return page(t('content'), h('p', {}, t('notAllowed')));
  const forHq = has(s, 'hq-editor', 'spokesperson', 'admin');
  const languages = ['en', 'fr', 'nl', 'de'] as const;
  const words = h('input', { type: 'search', maxLength: 100 });
  const out = h('div', { 'aria-live': 'polite' });
  const load = async (e?: Event) => {
    e?.preventDefault();
    const stories = new Map<
      string,
      { id: string; title: string; kind: string; date: string; in: Map<string, string> }
    >();
    try {
      for (const l of languages) {
        const q = new URLSearchParams({ lang: l, limit: '50' });
        if (words.value.trim()) q.set('q', words.value.trim());
        const { items } = await getJson<{ items: ContentItem[] }>(`/content?${q}`);
        for (const item of items) {
          const key = item.story ?? item.id;
          const entry = stories.get(key) ?? {
            id: item.id,
            title: item.title,
            kind: item.kind,
            date: item.publishedAt.slice(0, 10),
            in: new Map<string, string>(),
          };
          // The English title names the story when there is one, else the first language found.
          if (l === 'en') entry.title = item.title;
          entry.in.set(l, item.title);
          stories.set(key, entry);
        }
      }
      out.replaceChildren(
        h(
          'div',
          { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': t('translations') },
          h(
            'table',
            { 'data-table': 'content' },
            h('caption', {}, t('translations')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t('title')),
                h('th', { scope: 'col' }, t('date')),
                languages.map((l) => h('th', { scope: 'col' }, l.toUpperCase())),
                forHq && h('th', { scope: 'col' }, t('changedByPosts')),
              ),
            ),
            h(
              'tbody',
              {},
              [...stories.entries()].map(([key, st]) =>
                h(
                  'tr',
                  { 'data-story': key },
                  h('th', { scope: 'row' }, st.title, h('br'), h('small', {}, st.kind)),
                  h('td', {}, st.date),
                  languages.map((l) => {
                    const title = st.in.get(l);
                    return h(
                      'td',
                      { 'data-lang': l },
                      title ? h('span', { title }, `✓ ${t('present')}`) : `— ${t('missing')}`,
                    );
                  }),
                  forHq && h('td', { 'data-wording': st.id }, t('loading')),
                ),
              ),
            ),
          ),
        ),
      );
      // One story after the other, so a long list does not ask the API for all at once.
      for (const cell of out.querySelectorAll<HTMLElement>('td[data-wording]')) {
        if (!cell.isConnected) return;
        await showWording(cell, cell.dataset.wording ?? '');
      }
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  page(
    t('content'),
    forHq && h('p', {}, t('wordingLegend')),
    s && has(s, 'hq-editor', 'admin') && h('p', {}, h('a', { href: '#/broadcast' }, t('broadcasts'))),
    h(
      'form',
      { class: 'inline', role: 'search', onsubmit: load },
      field(t('words'), words),
      h('button', { type: 'submit' }, t('search')),
    ),
    out,
  );
  await load();
}
