import type { CrisisSummary } from '../../../functions/sending/crisis';
import { getJson, sendJson, session } from '../api';
import { field, h } from '../dom';
import { t } from '../i18n';
import { errorBox, page } from '../layout';
import type { Post } from '../model';
import { watchProgress } from '../progress';
import { has } from '../session';

export async function crisisPage(): Promise<void> {
  // Only the spokesperson and admins send alerts: others opening #/crisis get no form to fail with.
  const s = session();
  if (!s || !has(s, 'spokesperson', 'admin')) return page(t('crisis'), h('p', {}, t('notAllowed')));
  const { posts } = await getJson<{ posts: Post[] }>('/posts');
  const boxes = posts.map((p) => h('input', { type: 'checkbox', name: 'posts', value: p.code }));
  const subject = h('input', { type: 'text', required: true, maxLength: 150 });
  const text = h('textarea', { rows: 5, required: true, maxLength: 3000 });
  const lang_ = h(
    'select',
    {},
    ['en', 'fr', 'nl', 'de'].map((l) => h('option', { value: l }, l.toUpperCase())),
  );
  const out = h('div', { 'aria-live': 'polite' });
  page(
    t('crisis'),
    h(
      'form',
      {
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
          try {
            const r = await sendJson<CrisisSummary>('POST', '/crisis', {
              posts: chosen,
              messages: { [lang_.value]: { subject: subject.value, text: text.value } },
            });
            // Delivery watched per post, as a newsletter's send is.
            const watched = r.posts.map((p) => ({
              p,
              progress: h('dl', { class: 'progress', 'data-post': p.post }),
            }));
            out.replaceChildren(
              h('p', { class: 'ok' }, `${t('alertSent')}: ${r.recipients} ${t('recipients').toLowerCase()}`),
              ...watched.map(({ p, progress }) =>
                h('section', {}, h('h2', {}, posts.find((x) => x.code === p.post)?.name ?? p.post), progress),
              ),
            );
            for (const { p, progress } of watched) if (p.edition) watchProgress(p.post, p.edition, progress);
          } catch (err) {
            out.replaceChildren(errorBox(err));
          }
        },
      },
      h(
        'fieldset',
        { class: 'posts' },
        h('legend', {}, t('posts')),
        posts.map((p, i) => field(p.name, boxes[i] as HTMLInputElement)),
      ),
      field(t('language'), lang_),
      field(t('subject'), subject),
      field(t('message'), text),
      h('button', { type: 'submit', class: 'primary' }, t('sendAlert')),
    ),
    out,
  );
}
