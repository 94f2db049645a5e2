import { type EditionSummary, getJson, type Session } from '../api';
import { h } from '../dom';
import { lang, t } from '../i18n';
import { page, statusBadge } from '../layout';
import { has, postOf } from '../session';

export async function editionsPage(s: Session): Promise<void> {
  const post = postOf(s);
  if (!post) return page(t('editions'), h('p', {}, t('notAllowed')));
  const { items } = await getJson<{ items: EditionSummary[] }>(`/posts/${post}/editions`);
  page(
    `${t('editions')} · ${post}`,
    has(s, 'post-editor') && h('p', {}, h('a', { class: 'button', href: '#/compose/new' }, t('newEdition'))),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, t('editions')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('title'), t('status'), t('nextSend'), t('updated')].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((e) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('a', { href: e.status === 'draft' ? `#/compose/${e.id}` : `#/edition/${e.id}` }, e.title),
            ),
            h('td', {}, statusBadge(e.status)),
            h(
              'td',
              {},
              e.scheduledAt && e.status === 'scheduled'
                ? new Date(e.scheduledAt).toLocaleString(lang())
                : '—',
            ),
            h('td', {}, new Date(e.updatedAt).toLocaleString(lang())),
          ),
        ),
      ),
    ),
  );
}
