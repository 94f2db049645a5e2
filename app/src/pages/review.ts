import { apiPath, type EditionSummary, getJson, type Session } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { page, statusBadge } from '../layout';
import type { Post } from '../model';
import { has, postOf } from '../session';

export async function reviewPage(s: Session): Promise<void> {
  // Those who may read editions (an analyst reads reports, not editions).
  if (!has(s, 'post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'))
    return page(t('review'), h('p', {}, t('notAllowed')));
  // A post's approver reviews its post; the spokesperson and admins review across the network.
  const own = postOf(s);
  const codes = own ? [own] : (await getJson<{ posts: Post[] }>('/posts')).posts.map((p) => p.code);
  const waiting: EditionSummary[] = [];
  for (const code of codes) {
    const { items } = await getJson<{ items: EditionSummary[] }>(apiPath`/posts/${code}/editions`);
    waiting.push(...items.filter((e) => e.status === 'in-review'));
  }
  page(
    own ? `${t('review')} · ${own}` : t('review'),
    waiting.length === 0
      ? h('p', {}, t('nothingToReview'))
      : h(
          'ul',
          {},
          waiting.map((e) =>
            h(
              'li',
              {},
              h('a', { href: `#/edition/${e.id}?post=${e.post}` }, e.title),
              ' ',
              own ? '' : `(${e.post}) `,
              statusBadge(e.status),
            ),
          ),
        ),
  );
}
