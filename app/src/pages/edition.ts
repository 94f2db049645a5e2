import { apiPath, type Edition, getJson, getText, type Session, sendJson } from '../api';
import { announce, field, h } from '../dom';
import { lang, t } from '../i18n';
import { errorBox, page, statusBadge } from '../layout';
import { watchProgress } from '../progress';
import { has, postOf } from '../session';

/** One edition: its status, its variants rendered, and what the caller may do next. */
/** `post`: from the link, for network-wide roles (spokesperson, admin); else the caller's post. */
export async function editionPage(s: Session, id: string, post?: string): Promise<void> {
  const code = post ?? postOf(s);
  // An analyst reads an edition's report, not the edition (the API refuses it).
  if (!code || !has(s, 'post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'))
    return page(t('edition'), h('p', {}, t('notAllowed')));
  const { edition } = await getJson<{ edition: Edition }>(apiPath`/posts/${code}/editions/${id}`);
  const actions = h('p', { class: 'actions' });
  const notice = h('div', { 'aria-live': 'polite' });
  const progress = h('dl', { class: 'progress' });
  const act = (label: string, path: string, after: () => void) =>
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        onclick: async () => {
          try {
            await sendJson('POST', apiPath`/posts/${code}/editions/${id}/${path}`, {});
            after();
          } catch (err) {
            notice.replaceChildren(errorBox(err));
          }
        },
      },
      label,
    );
  if (edition.status === 'in-review' && has(s, 'post-approver', 'spokesperson', 'admin'))
    actions.append(
      act(t('approve'), 'approve', () => void editionPage(s, id, code).then(() => announce(t('approved')))),
    );
  const sendBack = h('form', {
    class: 'send-back',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await sendJson('POST', apiPath`/posts/${code}/editions/${id}/send-back`, { comment: comment.value });
        await editionPage(s, id, code);
        announce(t('sentBack'));
      } catch (err) {
        notice.replaceChildren(errorBox(err));
      }
    },
  });
  const comment = h('textarea', { rows: 3, maxLength: 2000, required: true });
  sendBack.append(field(t('comment'), comment), h('button', { type: 'submit' }, t('sendBack')));
  if (edition.status === 'approved' && has(s, 'post-editor', 'hq-editor', 'admin')) {
    actions.append(act(t('sendNow'), 'send', () => void editionPage(s, id, code)));
    // The post's local time (the API reads a time without offset so).
    const at = h('input', { type: 'datetime-local', required: true });
    actions.append(
      h(
        'form',
        {
          class: 'inline',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            try {
              await sendJson('POST', apiPath`/posts/${code}/editions/${id}/schedule`, { at: at.value });
              await editionPage(s, id, code);
            } catch (err) {
              notice.replaceChildren(errorBox(err));
            }
          },
        },
        field(t('scheduleAt'), at),
        h('button', { type: 'submit' }, t('schedule')),
      ),
    );
  }
  if (edition.scheduledAt && edition.status === 'scheduled')
    actions.append(
      h('span', {}, `${t('scheduledFor')} ${new Date(edition.scheduledAt).toLocaleString(lang())}`),
    );
  const previews = h('div', { class: 'variants' });
  page(
    `${edition.title}`,
    h('p', { id: 'edition-status' }, `${t('status')}: `, statusBadge(edition.status)),
    actions,
    notice,
    edition.status === 'in-review' && has(s, 'post-approver', 'spokesperson', 'admin') && sendBack,
    (edition.comments?.length ?? 0) > 0 &&
      h(
        'section',
        {},
        h('h2', {}, t('comments')),
        h(
          'ul',
          { class: 'comments' },
          (edition.comments ?? []).map((c) =>
            h('li', {}, h('q', {}, c.text), ` — ${c.by}, ${new Date(c.at).toLocaleString(lang())}`),
          ),
        ),
      ),
    ['sending', 'sent'].includes(edition.status) && h('section', {}, h('h2', {}, t('progress')), progress),
    h('h2', {}, t('preview')),
    previews,
  );
  // Every variant side by side; rendered one after the other, so a large edition does not
  // ask the API for all its renders at once.
  const frames = edition.variants.map((v) => {
    const frame = h('iframe', {
      title: `${t('preview')} ${v.audience} ${v.language}`,
      sandbox: '',
      class: 'preview',
      'data-variant': `${v.audience}/${v.language}`,
    });
    previews.append(
      h('figure', {}, h('figcaption', {}, `${v.audience} × ${v.language.toUpperCase()}`), frame),
    );
    return { v, frame };
  });
  void (async () => {
    for (const { v, frame } of frames) {
      if (!frame.isConnected) return;
      try {
        frame.srcdoc = await getText(
          apiPath`/posts/${code}/editions/${id}/preview?audience=${v.audience}&lang=${v.language}`,
        );
      } catch (err) {
        frame.replaceWith(errorBox(err));
      }
    }
  })();
  if (['sending', 'sent'].includes(edition.status)) watchProgress(code, id, progress);
}
