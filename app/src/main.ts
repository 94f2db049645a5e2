import type { ContentItem as StoredItem } from '../../functions/content/content';
import type { Chart, Report, Table } from '../../functions/reports/report';
import type { CrisisSummary } from '../../functions/sending/crisis';
import {
  ApiError,
  type Edition,
  type EditionSummary,
  getJson,
  getText,
  type SendProgress,
  type Session,
  type StaffUser,
  saveSession,
  sendJson,
  session,
  signIn,
} from './api';
import { announce, field, h } from './dom';
import { LANGS, lang, setLang, t, tv, type UiLang } from './i18n';
import './style.css';

/** GET /content answers items with the story each belongs to (one id across languages). */
type ContentItem = StoredItem & { readonly story?: string };

interface Audience {
  readonly id: string;
  readonly name: string;
}
interface Post {
  readonly code: string;
  readonly name: string;
  readonly languages: readonly string[];
  readonly audiences: readonly Audience[];
}

const main = () => document.getElementById('main') as HTMLElement;
const roles = (s: Session) => s.user.grants.map((g) => g.role);
const postOf = (s: Session) => s.user.grants.find((g) => g.post)?.post;
const has = (s: Session, ...r: string[]) => roles(s).some((x) => r.includes(x));

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function errorBox(e: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, `${t('error')}: ${message(e)}`);
}

/** Each page: a heading that takes the focus, so keyboard and screen-reader users land on it. */
function page(title: string, ...content: (Node | false | undefined)[]): void {
  const m = main();
  const heading = h('h1', { tabindex: -1 }, title);
  m.replaceChildren(heading, ...content.filter((c): c is Node => Boolean(c)));
  document.title = `${title} · missive`;
  heading.focus();
}

function header(): void {
  const top = document.getElementById('top') as HTMLElement;
  const s = session();
  const langSelect = h(
    'select',
    {
      onchange: (e: Event) => {
        setLang((e.target as HTMLSelectElement).value as UiLang);
        render();
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
              onclick: () => {
                saveSession(undefined);
                location.hash = '#/sign-in';
              },
            },
            t('signOut'),
          ),
        ),
    ),
  );
  (document.querySelector('.skip') as HTMLElement).textContent = t('skip');
}

const roleText = (u: StaffUser) =>
  u.grants.map((g) => `${tv('role', g.role)}${g.post ? ` (${g.post})` : ''}`).join(', ');

async function signInPage(): Promise<void> {
  page(t('signIn'), h('p', {}, t('loading')));
  const { items } = await getJson<{ items: StaffUser[] }>('/app/local/staff');
  page(
    t('signIn'),
    h('p', {}, t('signInIntro')),
    h(
      'ul',
      { class: 'people' },
      items.map((u) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              'data-user': u.id,
              onclick: async () => {
                const s = await signIn(u.id);
                location.hash = homeOf(s);
              },
            },
            h('strong', {}, u.name),
            ' — ',
            roleText(u),
          ),
        ),
      ),
    ),
  );
}

function homeOf(s: Session): string {
  if (has(s, 'post-editor')) return '#/editions';
  if (has(s, 'post-approver')) return '#/review';
  if (has(s, 'spokesperson', 'admin')) return '#/crisis';
  if (has(s, 'hq-editor')) return '#/content';
  return '#/reports';
}

const statusBadge = (status: string) => h('span', { class: `badge s-${status}` }, tv('status', status));

async function editionsPage(s: Session): Promise<void> {
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

interface Story {
  readonly story: string;
  readonly title: string;
}
interface VariantDraft {
  subject: string;
  intro: string;
  localTitle: string;
  localText: string;
}

/** The composer: central stories (every variant shows them in its language), then per variant its words. */
async function composePage(s: Session, id: string): Promise<void> {
  const code = postOf(s);
  if (!code) return page(t('compose'), h('p', {}, t('notAllowed')));
  const { post } = await getJson<{ post: Post }>(`/posts/${code}`);
  let edition: Edition | undefined =
    id === 'new' ? undefined : (await getJson<{ edition: Edition }>(`/posts/${code}/editions/${id}`)).edition;
  const keys = post.audiences.flatMap((a) => post.languages.map((l) => `${a.id}/${l}`));
  const drafts = new Map<string, VariantDraft>(
    keys.map((k) => [k, { subject: '', intro: '', localTitle: '', localText: '' }]),
  );
  let stories: Story[] = [];
  let title = edition?.title ?? '';
  for (const v of edition?.variants ?? []) {
    const local = v.blocks.find((b) => b.type === 'local');
    drafts.set(`${v.audience}/${v.language}`, {
      subject: v.subject,
      intro: v.intro,
      localTitle: local?.type === 'local' ? local.title : '',
      localText: local?.type === 'local' ? local.text : '',
    });
  }
  const first = edition?.variants[0];
  if (first)
    stories = first.blocks.flatMap((b) =>
      b.type === 'central' && b.story ? [{ story: b.story, title: b.story }] : [],
    );
  let current = keys[0] ?? '';

  const titleInput = h('input', { type: 'text', value: title, required: true, maxLength: 200 });
  const chosen = h('ol', { class: 'chosen' });
  const results = h('ul', { class: 'results' });
  const saveState = h('p', { class: 'save-state', 'aria-live': 'polite' });
  const previewFrame = h('iframe', { title: t('preview'), sandbox: '', class: 'preview desktop' });
  const previewError = h('div', { 'aria-live': 'assertive' });

  const drawChosen = (focus?: number) => {
    chosen.replaceChildren(
      ...(stories.length === 0 ? [h('li', { class: 'empty' }, t('noItems'))] : []),
      ...stories.map((st, i) => {
        const move = (to: number) => () => {
          const [m] = stories.splice(i, 1);
          if (m) stories.splice(to, 0, m);
          drawChosen(to);
          changed();
        };
        return h(
          'li',
          {
            tabindex: 0,
            'data-story': st.story,
            // Drag and drop with a mouse; the buttons and Alt+arrows do the same from the keyboard.
            draggable: 'true',
            ondragstart: (e: Event) => (e as DragEvent).dataTransfer?.setData('text/plain', String(i)),
            ondragover: (e: Event) => e.preventDefault(),
            ondrop: (e: Event) => {
              e.preventDefault();
              const from = Number((e as DragEvent).dataTransfer?.getData('text/plain'));
              if (Number.isInteger(from) && from !== i) {
                const [m] = stories.splice(from, 1);
                if (m) stories.splice(i, 0, m);
                drawChosen(i);
                changed();
              }
            },
            // Alt+arrows move the focused story, as the buttons do.
            onkeydown: (e: Event) => {
              const k = e as KeyboardEvent;
              if (k.altKey && k.key === 'ArrowUp' && i > 0) move(i - 1)();
              if (k.altKey && k.key === 'ArrowDown' && i < stories.length - 1) move(i + 1)();
            },
          },
          h('span', {}, st.title),
          h(
            'span',
            { class: 'tools' },
            h(
              'button',
              {
                type: 'button',
                disabled: i === 0,
                onclick: move(i - 1),
                'aria-label': `${t('moveUp')}: ${st.title}`,
              },
              '↑',
            ),
            h(
              'button',
              {
                type: 'button',
                disabled: i === stories.length - 1,
                onclick: move(i + 1),
                'aria-label': `${t('moveDown')}: ${st.title}`,
              },
              '↓',
            ),
            h(
              'button',
              {
                type: 'button',
                onclick: () => {
                  stories.splice(i, 1);
                  drawChosen();
                  changed();
                },
                'aria-label': `${t('remove')}: ${st.title}`,
              },
              '✕',
            ),
          ),
        );
      }),
    );
    if (focus !== undefined) (chosen.children[focus] as HTMLElement | undefined)?.focus();
  };

  const words = h('input', { type: 'search', maxLength: 100 });
  const searchLang = h(
    'select',
    {},
    post.languages.map((l) => h('option', { value: l }, l.toUpperCase())),
  );
  const search = async (e?: Event) => {
    e?.preventDefault();
    const q = new URLSearchParams({ lang: searchLang.value, limit: '10' });
    if (words.value.trim()) q.set('q', words.value.trim());
    try {
      const { items } = await getJson<{ items: ContentItem[] }>(`/content?${q}`);
      results.replaceChildren(
        ...items.map((item) =>
          h(
            'li',
            {},
            h('span', {}, h('strong', {}, item.title), ` · ${item.kind} · ${item.publishedAt.slice(0, 10)}`),
            h(
              'button',
              {
                type: 'button',
                'aria-label': `${t('add')}: ${item.title}`,
                disabled: !item.story || stories.some((x) => x.story === item.story),
                onclick: (ev: Event) => {
                  if (!item.story) return;
                  stories.push({ story: item.story, title: item.title });
                  (ev.target as HTMLButtonElement).disabled = true;
                  drawChosen();
                  changed();
                },
              },
              t('add'),
            ),
          ),
        ),
      );
      announce(`${items.length}`);
    } catch (err) {
      results.replaceChildren(h('li', {}, errorBox(err)));
    }
  };

  const subject = h('input', { type: 'text', maxLength: 150 });
  const intro = h('textarea', { rows: 4, maxLength: 3000 });
  const localTitle = h('input', { type: 'text', maxLength: 200 });
  const localText = h('textarea', { rows: 4, maxLength: 5000 });
  const showVariant = () => {
    const d = drafts.get(current);
    subject.value = d?.subject ?? '';
    intro.value = d?.intro ?? '';
    localTitle.value = d?.localTitle ?? '';
    localText.value = d?.localText ?? '';
  };
  const keepVariant = () => {
    drafts.set(current, {
      subject: subject.value,
      intro: intro.value,
      localTitle: localTitle.value,
      localText: localText.value,
    });
  };
  const variantSelect = h(
    'select',
    {
      onchange: () => {
        keepVariant();
        current = variantSelect.value;
        showVariant();
        void refreshPreview();
      },
    },
    keys.map((k) => {
      const [a, l] = k.split('/');
      const name = post.audiences.find((x) => x.id === a)?.name ?? a;
      return h('option', { value: k }, `${name} × ${l?.toUpperCase()}`);
    }),
  );

  const document_ = () => {
    keepVariant();
    title = titleInput.value.trim();
    return {
      title,
      variants: keys.map((k) => {
        const [audience, language] = k.split('/');
        const d = drafts.get(k);
        const local =
          d?.localTitle.trim() && d.localText.trim()
            ? [{ type: 'local', title: d.localTitle.trim(), text: d.localText.trim() }]
            : [];
        return {
          audience,
          language,
          subject: d?.subject.trim() || title,
          intro: d?.intro ?? '',
          blocks: [...stories.map((st) => ({ type: 'central', story: st.story })), ...local],
        };
      }),
    };
  };

  let saving: Promise<void> | undefined;
  // The API names the field it refuses ("edition: variants.2.intro: at most 60 paragraphs"):
  // the message goes under that field, in the variant it is about.
  const fieldError = h('p', { class: 'error', id: 'field-error' });
  const markField = (control: HTMLElement | undefined, text: string) => {
    for (const el of [titleInput, subject, intro, localTitle, localText]) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-describedby');
    }
    fieldError.remove();
    if (!control) return;
    fieldError.textContent = text;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', 'field-error');
    control.after(fieldError);
  };
  const showOnField = (text: string) => {
    const m = /variants\.(\d+)\.(subject|intro|blocks)(?:\.(\d+)\.(title|text))?/.exec(text);
    if (!m) return markField(/^edition: title/.test(text) ? titleInput : undefined, text);
    const key = keys[Number(m[1])];
    if (key && key !== current) {
      keepVariant();
      current = key;
      variantSelect.value = key;
      showVariant();
    }
    const control =
      m[2] === 'subject'
        ? subject
        : m[2] === 'intro'
          ? intro
          : Number(m[3]) >= stories.length
            ? m[4] === 'title'
              ? localTitle
              : localText
            : undefined;
    markField(control, text);
  };

  const save = async (): Promise<boolean> => {
    await saving;
    const body = document_();
    let ok = false;
    saving = (async () => {
      try {
        edition = edition
          ? (
              await sendJson<{ edition: Edition }>('PUT', `/posts/${code}/editions/${edition.id}`, {
                ...body,
                version: edition.version,
              })
            ).edition
          : (await sendJson<{ edition: Edition }>('POST', `/posts/${code}/editions`, body)).edition;
        if (location.hash === '#/compose/new') history.replaceState(null, '', `#/compose/${edition.id}`);
        saveState.textContent = t('saved');
        previewError.replaceChildren();
        markField(undefined, '');
        ok = true;
      } catch (err) {
        saveState.textContent = '';
        previewError.replaceChildren(errorBox(err));
        showOnField(message(err));
      }
    })();
    await saving;
    return ok;
  };

  const refreshPreview = async () => {
    if (!edition) return;
    const [audience, language] = current.split('/');
    try {
      const html = await getText(
        `/posts/${code}/editions/${edition.id}/preview?audience=${audience}&lang=${language}`,
      );
      previewFrame.srcdoc = html;
      previewFrame.dataset.variant = current;
    } catch (err) {
      previewError.replaceChildren(errorBox(err));
    }
  };

  // Live preview: saved and re-rendered once the typing pauses.
  let timer: number | undefined;
  const changed = () => {
    saveState.textContent = '';
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      if (titleInput.value.trim() && stories.length > 0 && (await save())) await refreshPreview();
    }, 700);
  };
  for (const el of [titleInput, subject, intro, localTitle, localText]) el.addEventListener('input', changed);

  const width = h(
    'fieldset',
    { class: 'inline' },
    h('legend', {}, t('previewWidth')),
    (['desktop', 'phone'] as const).map((w) => {
      const r = h('input', {
        type: 'radio',
        name: 'width',
        value: w,
        checked: w === 'desktop',
        onchange: () => {
          previewFrame.className = `preview ${w}`;
        },
      });
      return field(t(w), r);
    }),
  );

  drawChosen();
  showVariant();
  const comments = edition?.comments ?? [];
  const testTo = h('input', { type: 'email', required: true, autocomplete: 'email' });
  page(
    t('compose'),
    comments.length > 0 &&
      h(
        'section',
        { class: 'comments', 'aria-labelledby': 'h-comments' },
        h('h2', { id: 'h-comments' }, t('comments')),
        h(
          'ul',
          {},
          comments.map((c) => h('li', {}, h('q', {}, c.text), ` — ${c.by}`)),
        ),
      ),
    h(
      'div',
      { class: 'compose' },
      h(
        'section',
        { 'aria-labelledby': 'h-content' },
        field(t('title'), titleInput),
        h('h2', { id: 'h-content' }, t('searchContent')),
        h(
          'form',
          { class: 'inline', onsubmit: search, role: 'search' },
          field(t('language'), searchLang),
          field(t('words'), words),
          h('button', { type: 'submit' }, t('search')),
        ),
        results,
        h('h2', {}, t('chosenItems')),
        chosen,
        h('h2', {}, t('variant')),
        field(t('variant'), variantSelect),
        field(t('subject'), subject),
        field(t('intro'), intro),
        field(t('localTitle'), localTitle),
        field(t('localText'), localText),
        h(
          'p',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              onclick: async () => {
                if (await save()) await refreshPreview();
              },
            },
            t('save'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              onclick: async () => {
                if (!(await save()) || !edition) return;
                try {
                  await sendJson('POST', `/posts/${code}/editions/${edition.id}/submit`, {});
                  announce(t('submitted'));
                  location.hash = `#/edition/${edition.id}`;
                } catch (err) {
                  previewError.replaceChildren(errorBox(err));
                }
              },
            },
            t('submit'),
          ),
        ),
        saveState,
        h(
          'form',
          {
            class: 'inline',
            onsubmit: async (e: Event) => {
              e.preventDefault();
              if (!(await save()) || !edition) return;
              const [audience, language] = current.split('/');
              try {
                await sendJson('POST', `/posts/${code}/editions/${edition.id}/test-send`, {
                  to: [testTo.value.trim()],
                  audience,
                  lang: language,
                });
                saveState.textContent = `${t('testSent')} ${testTo.value.trim()}`;
              } catch (err) {
                previewError.replaceChildren(errorBox(err));
              }
            },
          },
          field(t('testTo'), testTo),
          h('button', { type: 'submit' }, t('testSend')),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-preview' },
        h('h2', { id: 'h-preview' }, t('preview')),
        width,
        previewError,
        previewFrame,
      ),
    ),
  );
  await search();
  await refreshPreview();
}

/** One edition: its status, its variants rendered, and what the caller may do next. */
/** `post`: from the link, for network-wide roles (spokesperson, admin); else the caller's post. */
async function editionPage(s: Session, id: string, post?: string): Promise<void> {
  const code = post ?? postOf(s);
  if (!code) return page(t('edition'), h('p', {}, t('notAllowed')));
  const { edition } = await getJson<{ edition: Edition }>(`/posts/${code}/editions/${id}`);
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
            await sendJson('POST', `/posts/${code}/editions/${id}/${path}`, {});
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
        await sendJson('POST', `/posts/${code}/editions/${id}/send-back`, { comment: comment.value });
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
              await sendJson('POST', `/posts/${code}/editions/${id}/schedule`, { at: at.value });
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
          `/posts/${code}/editions/${id}/preview?audience=${v.audience}&lang=${v.language}`,
        );
      } catch (err) {
        frame.replaceWith(errorBox(err));
      }
    }
  })();
  if (['sending', 'sent'].includes(edition.status)) watchProgress(code, id, progress);
}

function watchProgress(code: string, id: string, out: HTMLElement): void {
  const tick = async () => {
    if (!out.isConnected) return;
    try {
      const p = await getJson<{ status: string; progress: SendProgress }>(
        `/posts/${code}/editions/${id}/progress`,
      );
      const n = p.progress;
      out.replaceChildren(
        ...(
          [
            [t('status'), tv('status', p.status)],
            [t('queued'), n.queued],
            [t('sentCount'), n.sent],
            [t('skipped'), n.skipped],
            [t('failed'), n.failed],
            [t('sentOnce'), n.overlaps + n.duplicates],
          ] as const
        ).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-figure': k }, String(v))]),
      );
      // Sent: the status machine says so once every queued recipient's record is settled.
      const done = p.status === 'sent';
      document.querySelector('#edition-status .badge')?.replaceWith(statusBadge(p.status));
      out.dataset.done = String(done);
      if (!done) window.setTimeout(tick, 1000);
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  void tick();
}

async function reviewPage(s: Session): Promise<void> {
  // A post's approver reviews its post; the spokesperson and admins review across the network.
  const own = postOf(s);
  const codes = own ? [own] : (await getJson<{ posts: Post[] }>('/posts')).posts.map((p) => p.code);
  const waiting: EditionSummary[] = [];
  for (const code of codes) {
    const { items } = await getJson<{ items: EditionSummary[] }>(`/posts/${code}/editions`);
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

function tableOf(table: Table): HTMLElement {
  return h(
    'div',
    { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': table.title },
    h(
      'table',
      { 'data-table': table.name },
      h('caption', {}, table.title),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          table.columns.map((c) => h('th', { scope: 'col' }, c.label)),
        ),
      ),
      h(
        'tbody',
        {},
        table.rows.map((r) =>
          h(
            'tr',
            {},
            table.columns.map((c) => {
              const v = r[c.key];
              const text =
                v === null || v === undefined
                  ? '—'
                  : c.kind === 'rate' && typeof v === 'number'
                    ? `${(v * 100).toFixed(1)} %`
                    : String(v);
              return h('td', {}, text);
            }),
          ),
        ),
      ),
    ),
  );
}

const COLORS = ['#1d4e89', '#b3541e', '#2f6b3a', '#6b2f6b'];

/** A bar chart in SVG (a chart library would be most of the first load); the table beside it has the figures. */
function chartOf(chart: Chart): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const values = chart.series.flatMap((s) => s.data.map((d) => d ?? 0));
  const max = Math.max(1e-9, ...values);
  const n = Math.max(1, chart.labels.length);
  const groupW = 600 / n;
  const barW = Math.max(2, (groupW - 8) / Math.max(1, chart.series.length));
  svg.setAttribute('viewBox', '0 0 600 220');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', chart.title);
  const colors = COLORS;
  chart.series.forEach((s, si) => {
    s.data.forEach((d, i) => {
      const hgt = ((d ?? 0) / max) * 180;
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', String(i * groupW + 4 + si * barW));
      rect.setAttribute('y', String(200 - hgt));
      rect.setAttribute('width', String(barW - 1));
      rect.setAttribute('height', String(hgt));
      rect.setAttribute('fill', colors[si % colors.length] ?? '#000');
      const tip = document.createElementNS(ns, 'title');
      tip.textContent = `${chart.labels[i] ?? ''} · ${s.label}: ${d ?? '—'}`;
      rect.append(tip);
      svg.append(rect);
    });
  });
  return svg;
}

async function download(path: string, name: string) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session()?.token ?? ''}` } });
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

async function reportsPage(s: Session, params: URLSearchParams): Promise<void> {
  const fixedPost = postOf(s);
  const code = params.get('post') ?? fixedPost ?? 'tokyo';
  const { posts } = await getJson<{ posts: Post[] }>('/posts');
  const postSelect = h(
    'select',
    { name: 'post' },
    posts.map((p) => h('option', { value: p.code, selected: p.code === code }, p.name)),
  );
  const editionSelect = h('select', { name: 'edition' });
  const out = h('div', { 'aria-live': 'polite' });
  // Post and network reports are for network-wide readers; a post's editor reads its editions' reports.
  const kinds = has(s, 'analyst', 'hq-editor', 'spokesperson', 'admin')
    ? (['edition', 'post', 'network'] as const)
    : (['edition'] as const);
  const kindSelect = h(
    'select',
    { name: 'kind' },
    kinds.map((k) =>
      h('option', { value: k, selected: k === (params.get('kind') ?? 'edition') }, t(`kind.${k}`)),
    ),
  );
  const from = h('input', { type: 'month', name: 'from', value: params.get('from') ?? '' });
  const to = h('input', { type: 'month', name: 'to', value: params.get('to') ?? '' });
  const editionField = field(t('edition'), editionSelect);
  const postField = field(t('post'), postSelect);
  const periodFields = h('span', { class: 'inline' }, field(t('from'), from), field(t('to'), to));
  const showFields = () => {
    editionField.hidden = kindSelect.value !== 'edition';
    periodFields.hidden = kindSelect.value === 'edition';
    postField.hidden = kindSelect.value === 'network';
  };
  kindSelect.addEventListener('change', showFields);
  const loadEditions = async () => {
    const option = (id: string, label: string) =>
      h('option', { value: id, selected: id === params.get('edition') }, label);
    try {
      const { items } = await getJson<{ items: EditionSummary[] }>(`/posts/${postSelect.value}/editions`);
      editionSelect.replaceChildren(
        ...items.map((e) => option(e.id, `${e.title} (${tv('status', e.status)})`)),
      );
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 403)) return out.replaceChildren(errorBox(err));
      // Analysts read reports, not editions: the sent editions are those of the post's report.
      const report = await getJson<Report>(`/posts/${postSelect.value}/reports`);
      const rows = report.tables.find((tb) => tb.name === 'editions')?.rows ?? [];
      editionSelect.replaceChildren(
        ...rows.map((r) => option(String(r.edition), String(r.title ?? r.edition))),
      );
    }
  };
  const show = async (e?: Event) => {
    e?.preventDefault();
    const kind = kindSelect.value;
    const path =
      kind === 'edition'
        ? `/posts/${postSelect.value}/reports/editions/${editionSelect.value}`
        : kind === 'post'
          ? `/posts/${postSelect.value}/reports`
          : '/reports/network';
    const query = new URLSearchParams();
    if (kind !== 'edition' && from.value) query.set('from', from.value);
    if (kind !== 'edition' && to.value) query.set('to', to.value);
    const url = (format?: string) => {
      const q = new URLSearchParams(query);
      if (format) q.set('format', format);
      return q.size ? `${path}?${q}` : path;
    };
    const name = kind === 'edition' ? editionSelect.value : kind === 'post' ? postSelect.value : 'network';
    try {
      const report = await getJson<Report>(url());
      out.replaceChildren(
        h('h2', {}, report.title),
        h(
          'p',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              onclick: () => void download(url('csv'), `${name}.csv`),
            },
            t('downloadCsv'),
          ),
          h(
            'button',
            {
              type: 'button',
              onclick: () => void download(url('html'), `${name}.html`),
            },
            t('downloadHtml'),
          ),
        ),
        ...report.charts
          .filter((c) => c.labels.length > 0)
          .map((c) =>
            h(
              'figure',
              { class: 'chart' },
              h('figcaption', {}, c.title),
              chartOf(c),
              h(
                'ul',
                { class: 'legend' },
                c.series.map((se, i) =>
                  h(
                    'li',
                    {},
                    h('span', { class: 'swatch', style: `background:${COLORS[i % COLORS.length]}` }),
                    se.label,
                  ),
                ),
              ),
            ),
          ),
        ...report.tables.map(tableOf),
      );
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  postSelect.addEventListener('change', () => void loadEditions());
  page(
    t('reports'),
    h(
      'form',
      { class: 'inline', onsubmit: show },
      field(t('reportKind'), kindSelect),
      postField,
      editionField,
      periodFields,
      h('button', { type: 'submit' }, t('report')),
    ),
    out,
  );
  showFields();
  await loadEditions();
  if (params.get('edition') || params.get('kind')) await show();
}

/** Central content by story: which languages each story exists in (translation status). */
async function contentPage(): Promise<void> {
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

async function crisisPage(): Promise<void> {
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

async function render(): Promise<void> {
  document.documentElement.lang = lang();
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const s = session();
  header();
  try {
    if (!s || parts[0] === 'sign-in' || parts.length === 0) {
      if (s && parts.length === 0) {
        location.hash = homeOf(s);
        return;
      }
      return await signInPage();
    }
    switch (parts[0]) {
      case 'editions':
        return await editionsPage(s);
      case 'compose':
        return await composePage(s, parts[1] ?? 'new');
      case 'edition':
        return await editionPage(s, parts[1] ?? '', new URLSearchParams(query).get('post') ?? undefined);
      case 'review':
        return await reviewPage(s);
      case 'reports':
        return await reportsPage(s, new URLSearchParams(query));
      case 'crisis':
        return await crisisPage();
      case 'content':
        return await contentPage();
      default:
        location.hash = homeOf(s);
    }
  } catch (err) {
    // An expired or refused token: back to sign-in.
    if (err instanceof ApiError && err.status === 401) {
      saveSession(undefined);
      location.hash = '#/sign-in';
      return;
    }
    page(t('error'), errorBox(err));
  }
}

window.addEventListener('hashchange', () => void render());
void render();
