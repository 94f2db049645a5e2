import { getJson } from '../api';
import { field, h } from '../dom';
import { t } from '../i18n';
import { errorBox, page } from '../layout';
import type { ContentItem } from '../model';

/** Central content by story: which languages each story exists in (translation status). */
export async function contentPage(): Promise<void> {
  const languages = ['en', 'fr', 'nl', 'de'] as const;
  const words = h('input', { type: 'search', maxLength: 100 });
  const out = h('div', { 'aria-live': 'polite' });
  const load = async (e?: Event) => {
    e?.preventDefault();
    const stories = new Map<string, { title: string; kind: string; date: string; in: Map<string, string> }>();
    try {
      for (const l of languages) {
        const q = new URLSearchParams({ lang: l, limit: '50' });
        if (words.value.trim()) q.set('q', words.value.trim());
        const { items } = await getJson<{ items: ContentItem[] }>(`/content?${q}`);
        for (const item of items) {
          const key = item.story ?? item.id;
          const entry = stories.get(key) ?? {
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
                ),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  page(
    t('content'),
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
