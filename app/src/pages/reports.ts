import type { Report } from '../../../functions/reports/report';
import { ApiError, type EditionSummary, getJson, type Session } from '../api';
import { field, h } from '../dom';
import { t, tv } from '../i18n';
import { errorBox, page } from '../layout';
import type { Post } from '../model';
import { has, postOf } from '../session';
import { COLORS, chartOf, download, tableOf } from '../tables';

export async function reportsPage(s: Session, params: URLSearchParams): Promise<void> {
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
