import { apiPath, type EditionSummary, getJson, type Session } from '../api';
import { h } from '../dom';
import { lang, t } from '../i18n';
import { page, statusBadge } from '../layout';
import { has } from '../session';
import { composePage } from './compose';

/**
 * HQ's network broadcasts: editions of the `hq` pseudo-post, sent to everyone subscribed
 * to any post, once each. They are composed in the composer, approved by the
 * spokesperson, sent and watched on the edition page, as a post's editions are.
 */
const HQ = 'hq';
const BASE = '#/broadcast';

/** `#/broadcast`: the list; `#/broadcast/new` or `#/broadcast/<id>`: the composer on HQ's edition. */
export async function broadcastPage(s: Session, id?: string): Promise<void> {
  // HQ's editors and admins only: a post's editor would otherwise read 'no post "hq"'.
  if (!has(s, 'hq-editor', 'admin'))
    return page(id ? t('composeBroadcast') : t('broadcasts'), h('p', {}, t('notAllowed')));
  if (id) return composePage(s, id, { post: HQ, base: BASE, heading: t('composeBroadcast') });
  const { items } = await getJson<{ items: EditionSummary[] }>(apiPath`/posts/${HQ}/editions`);
  page(
    t('broadcasts'),
    h('p', {}, t('broadcastIntro')),
    h('p', {}, h('a', { class: 'button', href: `${BASE}/new` }, t('newBroadcast'))),
    items.length === 0
      ? h('p', {}, t('noBroadcasts'))
      : h(
          'ul',
          { class: 'broadcasts' },
          items.map((e) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: e.status === 'draft' ? `${BASE}/${e.id}` : `#/edition/${e.id}?post=${HQ}` },
                e.title,
              ),
              ' ',
              statusBadge(e.status),
              ` ${new Date(e.updatedAt).toLocaleString(lang())}`,
            ),
          ),
        ),
  );
}
