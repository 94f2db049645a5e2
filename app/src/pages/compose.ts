import { apiPath, type Edition, getJson, getText, type Session, sendJson } from '../api';
import { announce, field, h } from '../dom';
import { t, tv } from '../i18n';
import { errorBox, message, page } from '../layout';
import { CONTENT_KINDS, type ContentItem, type Post } from '../model';
import { has, postOf } from '../session';

interface Story {
  readonly story: string;
  readonly title: string;
  /** HQ's words, in this language: what "use our wording" starts from in a variant of that language. */
  readonly summary?: string;
  readonly language?: string;
}
/** The post's own words for a story in one variant (the API: a central block's title, summary). */
interface Wording {
  title: string;
  summary: string;
}
/** Another post than the caller's (HQ's broadcasts: `hq`), where its pages live, their heading. */
export interface ComposeOptions {
  readonly post?: string;
  readonly base?: string;
  readonly heading?: string;
}
interface VariantDraft {
  subject: string;
  intro: string;
  localTitle: string;
  localText: string;
}

/** A subject is at most 150 characters (the API's limit); a title may have 200. */
const SUBJECT_MAX = 150;
/**
 * The subject of a variant left empty: the title, cut at a word (with "…") when it is
 * longer than a subject may be; a 151-character title was refused as a "too big"
 * subject the editor never typed, and nothing was saved.
 */
export function subjectFromTitle(title: string): string {
  if (title.length <= SUBJECT_MAX) return title;
  const cut = title.slice(0, SUBJECT_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SUBJECT_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The composer: central stories (every variant shows them in its language), then per variant its words. */
export async function composePage(s: Session, id: string, options: ComposeOptions = {}): Promise<void> {
  const code = options.post ?? postOf(s);
  const base = options.base ?? '#/compose';
  // Those who may write an edition (a post's analyst or approver may not).
  if (!code || !has(s, 'post-editor', 'hq-editor', 'admin'))
    return page(options.heading ?? t('compose'), h('p', {}, t('notAllowed')));
  const { post } = await getJson<{ post: Post }>(apiPath`/posts/${code}`);
  let edition: Edition | undefined =
    id === 'new'
      ? undefined
      : (await getJson<{ edition: Edition }>(apiPath`/posts/${code}/editions/${id}`)).edition;
  const keys = post.audiences.flatMap((a) => post.languages.map((l) => `${a.id}/${l}`));
  const drafts = new Map<string, VariantDraft>(
    keys.map((k) => [k, { subject: '', intro: '', localTitle: '', localText: '' }]),
  );
  let stories: Story[] = [];
  let title = edition?.title ?? '';
  // Per variant, per story: the post's own words, where it chose "use our wording".
  const wording = new Map<string, Map<string, Wording>>(keys.map((k) => [k, new Map()]));
  for (const v of edition?.variants ?? []) {
    for (const b of v.blocks)
      if (b.type === 'central' && b.story && (b.title || b.summary))
        wording
          .get(`${v.audience}/${v.language}`)
          ?.set(b.story, { title: b.title ?? '', summary: b.summary ?? '' });
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
    drawWording();
  };

  // "Use our wording": per story of the variant shown, the post's title and summary instead of HQ's.
  const wordingBox = h('div', { class: 'wording' });
  const drawWording = () => {
    const mine = wording.get(current);
    wordingBox.replaceChildren(
      ...stories.map((st) => {
        const own = mine?.get(st.story);
        const toggle = h('input', {
          type: 'checkbox',
          checked: own !== undefined,
          onchange: () => {
            if (toggle.checked) {
              const sameLanguage = st.language === current.split('/')[1];
              mine?.set(st.story, {
                title: sameLanguage ? st.title : '',
                summary: sameLanguage ? (st.summary ?? '') : '',
              });
            } else mine?.delete(st.story);
            drawWording();
            changed();
          },
        });
        const text = (label: string, key: keyof Wording, max: number) => {
          const input = h('input', { type: 'text', maxLength: max, value: own?.[key] ?? '' });
          input.addEventListener('input', () => {
            if (own) own[key] = input.value;
            changed();
          });
          return field(label, input);
        };
        return h(
          'fieldset',
          { 'data-story': st.story },
          h('legend', {}, st.title),
          h('label', {}, toggle, ` ${t('ourWording')}`),
          own && text(t('ourTitle'), 'title', 300),
          own && text(t('ourSummary'), 'summary', 500),
          own && h('p', { class: 'hint' }, t('ourWordingNote')),
        );
      }),
    );
  };
  const ownWords = (key: string, story: string) => {
    const own = wording.get(key)?.get(story);
    return {
      ...(own?.title.trim() ? { title: own.title.trim() } : {}),
      ...(own?.summary.trim() ? { summary: own.summary.trim() } : {}),
    };
  };

  const words = h('input', { type: 'search', maxLength: 100 });
  const searchLang = h(
    'select',
    {},
    post.languages.map((l) => h('option', { value: l }, l.toUpperCase())),
  );
  // Kind and publication dates narrow the search the way the API does (GET /content).
  const searchKind = h('select', {}, [
    h('option', { value: '' }, t('anyKind')),
    ...CONTENT_KINDS.map((k) => h('option', { value: k }, tv('contentKind', k))),
  ]);
  const since = h('input', { type: 'date' });
  const until = h('input', { type: 'date' });
  const search = async (e?: Event) => {
    e?.preventDefault();
    const q = new URLSearchParams({ lang: searchLang.value, limit: '10' });
    if (words.value.trim()) q.set('q', words.value.trim());
    if (searchKind.value) q.set('kind', searchKind.value);
    if (since.value) q.set('from', since.value);
    if (until.value) q.set('to', until.value);
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
                  stories.push({
                    story: item.story,
                    title: item.title,
                    summary: item.summary,
                    language: item.language,
                  });
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
    drawWording();
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
          subject: d?.subject.trim() || subjectFromTitle(title),
          intro: d?.intro ?? '',
          blocks: [
            ...stories.map((st) => ({ type: 'central', story: st.story, ...ownWords(k, st.story) })),
            ...local,
          ],
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
              await sendJson<{ edition: Edition }>('PUT', apiPath`/posts/${code}/editions/${edition.id}`, {
                ...body,
                version: edition.version,
              })
            ).edition
          : (await sendJson<{ edition: Edition }>('POST', apiPath`/posts/${code}/editions`, body)).edition;
        if (location.hash === `${base}/new`) history.replaceState(null, '', `${base}/${edition.id}`);
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
        apiPath`/posts/${code}/editions/${edition.id}/preview?audience=${audience}&lang=${language}`,
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
    options.heading ?? t('compose'),
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
          field(t('contentKind'), searchKind),
          field(t('publishedFrom'), since),
          field(t('publishedTo'), until),
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
        wordingBox,
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
                  await sendJson('POST', apiPath`/posts/${code}/editions/${edition.id}/submit`, {});
                  announce(t('submitted'));
                  // Another post's edition (HQ's broadcast) names its post, as the review queue's links do.
                  location.hash = `#/edition/${edition.id}${code === postOf(s) ? '' : `?post=${code}`}`;
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
                await sendJson('POST', apiPath`/posts/${code}/editions/${edition.id}/test-send`, {
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
