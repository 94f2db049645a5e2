import type { AudienceKind, Language } from '../../../functions/core/model';
import type { EditionResults } from '../../../functions/reports/dashboard';
import type { ReportFilter } from '../../../functions/reports/filters';
import type { Report } from '../../../functions/reports/report';
import { ApiError, apiPath, type EditionSummary, getJson, type Session } from '../api';
import { announce, field, h } from '../dom';
import { lang, t, tv } from '../i18n';
import { errorBox, page } from '../layout';
import type { Post } from '../model';
import { remarkTexts, reportTitle } from '../report-wording';
import { has, postOf } from '../session';
import { download, figureOf, tableOf } from '../tables';

/** GET /posts answers whole posts: the region filter reads each one's continent. */
type PostInfo = Post & { readonly continent?: string };

const KINDS = ['edition', 'post', 'network', 'audience', 'story'] as const;
type Kind = (typeof KINDS)[number];
const REGIONS = ['africa', 'americas', 'asia', 'europe', 'oceania'] as const satisfies readonly NonNullable<
  ReportFilter['region']
>[];
const AUDIENCE_KINDS = [
  'economic',
  'cultural',
  'consular',
  'custom',
] as const satisfies readonly AudienceKind[];
const LANGUAGES = ['en', 'fr', 'nl', 'de'] as const satisfies readonly Language[];

/** Network-wide readers: analysts, the spokesperson, admins without a post, and HQ's editors. */
const networkWide = (s: Session) =>
  s.user.grants.some(
    (g) => (['analyst', 'spokesperson', 'admin'].includes(g.role) && !g.post) || g.role === 'hq-editor',
  );

/** Posts' and editions' names are long: a select is never wider than a phone's screen. */
const NARROW = 'max-width: 100%';

const option = (value: string, label: string, selected: boolean) => h('option', { value, selected }, label);

/**
 * The reports as pages: an edition, a post, the network, an audience kind or language,
 * central stories; filters by post, region, audience, language and months. The API
 * narrows the report (?region=&post=&audience=&language=), so the CSV and HTML
 * downloads are what is shown, and the hash keeps the choice for a bookmark.
 */
export async function reportsPage(s: Session, params: URLSearchParams): Promise<void> {
  // The roles the report routes answer (a post's approver has none of them).
  if (!has(s, 'analyst', 'hq-editor', 'spokesperson', 'admin', 'post-editor'))
    return page(t('reports'), h('p', {}, t('notAllowed')));
  const fixedPost = postOf(s);
  const wide = networkWide(s);
  const kinds: readonly Kind[] = wide ? KINDS : has(s, 'analyst') ? ['edition', 'post'] : ['edition'];
  const asked = params.get('kind') as Kind | null;
  const { posts } = await getJson<{ posts: PostInfo[] }>('/posts');
  const code = params.get('post') ?? fixedPost ?? posts[0]?.code ?? '';

  const kindSelect = h(
    'select',
    { name: 'kind', style: NARROW },
    kinds.map((k) => option(k, t(`kind.${k}`), k === (asked ?? 'edition'))),
  );
  const postSelect = h(
    'select',
    { name: 'post', style: NARROW },
    posts.map((p) => option(p.code, p.name, p.code === code)),
  );
  const postFilter = h('select', { name: 'post-filter', style: NARROW });
  const editionSelect = h('select', { name: 'edition', style: NARROW });
  const regionSelect = h(
    'select',
    { name: 'region', style: NARROW },
    option('', t('any'), true),
    REGIONS.map((r) => option(r, tv('region', r), r === params.get('region'))),
  );
  const audienceSelect = h('select', { name: 'audience', style: NARROW });
  const languageSelect = h(
    'select',
    { name: 'language', style: NARROW },
    option('', t('any'), true),
    LANGUAGES.map((l) => option(l, l.toUpperCase(), l === params.get('language'))),
  );
  const storyInput = h('input', {
    type: 'text',
    name: 'story',
    maxLength: 200,
    value: params.get('story') ?? '',
  });
  const from = h('input', { type: 'month', name: 'from', value: params.get('from') ?? '' });
  const to = h('input', { type: 'month', name: 'to', value: params.get('to') ?? '' });
  // Not a live region: a whole report read out at once helps no one; its title is announced instead.
  const out = h('div', { class: 'report' });

  const kindField = field(t('reportKind'), kindSelect);
  const fields = {
    post: field(t('post'), postSelect),
    postFilter: field(t('post'), postFilter),
    edition: field(t('edition'), editionSelect),
    region: field(t('region'), regionSelect),
    audience: field(t('audience'), audienceSelect),
    language: field(t('language'), languageSelect),
    story: field(t('storyId'), storyInput),
    period: h('span', { class: 'inline' }, field(t('from'), from), field(t('to'), to)),
  };
  // A flex item never narrower than its content would push a long post name past a phone's edge.
  for (const f of [...Object.values(fields), kindField]) f.style.minWidth = '0';
  /** Which fields each kind of report reads. */
  const SHOWN: Record<Kind, readonly (keyof typeof fields)[]> = {
    edition: ['post', 'edition', 'audience', 'language'],
    post: ['post', 'period'],
    network: ['region', 'postFilter', 'language', 'period'],
    audience: ['audience', 'language', 'period'],
    story: ['story', 'region', 'postFilter', 'language', 'period'],
  };
  const kind = () => kindSelect.value as Kind;

  /** The post filter lists the region's posts; the audiences are the post's (edition) or the kinds (audience). */
  const fillChoices = () => {
    const keepPost = postFilter.value || params.get('post') || '';
    postFilter.replaceChildren(
      option('', t('any'), true),
      ...posts
        .filter((p) => !regionSelect.value || p.continent === regionSelect.value)
        .map((p) => option(p.code, p.name, p.code === keepPost)),
    );
    const keepAudience = audienceSelect.value || params.get('audience') || '';
    const audiences =
      kind() === 'edition'
        ? (posts.find((p) => p.code === postSelect.value)?.audiences ?? []).map(
            (a) => [a.id, a.name] as const,
          )
        : AUDIENCE_KINDS.map((k) => [k, tv('audienceKind', k)] as const);
    audienceSelect.replaceChildren(
      option('', t('any'), true),
      ...audiences.map(([id, name]) => option(id, name, id === keepAudience)),
    );
  };
  const showFields = () => {
    for (const [name, el] of Object.entries(fields))
      el.hidden = !SHOWN[kind()].includes(name as keyof typeof fields);
    fillChoices();
  };

  /** An analyst reads reports, not editions: GET /posts/{code}/editions would be refused. */
  const readsReportsOnly = !has(s, 'post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin');
  const loadEditions = async () => {
    const pick = (id: string, label: string) => option(id, label, id === params.get('edition'));
    try {
      if (readsReportsOnly) {
        // The post's sent editions from its dashboard (twelve months, as the post report's
        // default period): not an export, so opening this page writes nothing in the audit
        // trail (the post report did, as report.exported), and no request is refused.
        const { editions } = await getJson<{ editions: EditionResults[] }>(
          apiPath`/posts/${postSelect.value}/lists`,
        );
        editionSelect.replaceChildren(...editions.map((e) => pick(e.edition, e.title)));
        return;
      }
      const { items } = await getJson<{ items: EditionSummary[] }>(
        apiPath`/posts/${postSelect.value}/editions`,
      );
      editionSelect.replaceChildren(
        ...items.map((e) => pick(e.id, `${e.title} (${tv('status', e.status)})`)),
      );
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 403)) return out.replaceChildren(errorBox(err));
      // Refused the list (HQ's editor at a post): the sent editions are those of the post's report.
      const report = await getJson<Report>(apiPath`/posts/${postSelect.value}/reports`);
      const rows = report.tables.find((tb) => tb.name === 'editions')?.rows ?? [];
      editionSelect.replaceChildren(
        ...rows.map((r) => pick(String(r.edition), String(r.title ?? r.edition))),
      );
    }
  };

  /** The choice as the hash's parameters: only the fields this kind of report reads, and only those set. */
  const chosen = (): URLSearchParams => {
    const shown = SHOWN[kind()];
    const q = new URLSearchParams({ kind: kind() });
    const set = (name: string, value: string, when: keyof typeof fields) => {
      if (value && shown.includes(when)) q.set(name, value);
    };
    set('post', postSelect.value, 'post');
    set('post', postFilter.value, 'postFilter');
    set('edition', editionSelect.value, 'edition');
    set('region', regionSelect.value, 'region');
    set('audience', audienceSelect.value, 'audience');
    set('language', languageSelect.value, 'language');
    set('story', storyInput.value.trim(), 'story');
    set('from', from.value, 'period');
    set('to', to.value, 'period');
    return q;
  };

  /** The API path and query of the report chosen; filters go to the API, which narrows the report. */
  const request = (q: URLSearchParams): { path: string; query: URLSearchParams; name: string } => {
    const query = new URLSearchParams();
    for (const name of ['from', 'to', 'region', 'language'] as const) {
      const v = q.get(name);
      if (v) query.set(name, v);
    }
    switch (q.get('kind') as Kind) {
      case 'edition': {
        const audience = q.get('audience');
        if (audience) query.set('audience', audience);
        return {
          path: apiPath`/posts/${q.get('post')}/reports/editions/${q.get('edition')}`,
          query,
          name: q.get('edition') ?? 'edition',
        };
      }
      case 'post':
        return { path: apiPath`/posts/${q.get('post')}/reports`, query, name: q.get('post') ?? 'post' };
      case 'audience': {
        // The audience report is about a kind, or else a language: not a filter of one.
        const subject = q.get('audience') || q.get('language') || AUDIENCE_KINDS[0];
        query.delete('language');
        return { path: `/reports/audiences/${encodeURIComponent(subject)}`, query, name: subject };
      }
      case 'story': {
        if (q.get('post')) query.set('post', q.get('post') ?? '');
        if (q.get('story')) query.set('id', q.get('story') ?? '');
        return { path: '/reports/stories', query, name: q.get('story') || 'stories' };
      }
      default:
        if (q.get('post')) query.set('post', q.get('post') ?? '');
        return { path: '/reports/network', query, name: 'network' };
    }
  };

  const show = async (q: URLSearchParams, focus = false) => {
    const { path, query, name } = request(q);
    const url = (format?: string) => {
      const withFormat = new URLSearchParams(query);
      // The download in the page's language: its titles, labels and notes as shown.
      if (format) {
        withFormat.set('format', format);
        withFormat.set('lang', lang());
      }
      return withFormat.size ? `${path}?${withFormat}` : path;
    };
    const downloadButton = (format: 'csv' | 'html', label: string) =>
      h(
        'button',
        {
          type: 'button',
          'data-download': format,
          onclick: () =>
            void download(url(format), `${name}.${format}`).catch((err: unknown) =>
              out.prepend(errorBox(err)),
            ),
        },
        label,
      );
    try {
      const report = await getJson<Report>(url());
      // The report's texts in the page's language, by their ids in this kind of report.
      const ctx = { kind: report.kind, subject: report.subject };
      const heading = reportTitle(report.title, report.remarks?.title, ctx);
      const title = h('h2', { tabindex: -1 }, heading);
      out.replaceChildren(
        title,
        ...remarkTexts(report.warnings, report.remarks?.warnings, ctx).map((w) =>
          h('p', { class: 'error', role: 'note' }, `${t('warnings')}: ${w}`),
        ),
        h(
          'p',
          { class: 'actions' },
          downloadButton('csv', t('downloadCsv')),
          downloadButton('html', t('downloadHtml')),
        ),
        ...report.charts.filter((c) => c.labels.length > 0).map((c) => figureOf(c, ctx)),
        ...report.tables.map((tb) => tableOf(tb, ctx)),
        ...remarkTexts(report.notes, report.remarks?.notes, ctx).map((n) =>
          h('p', { class: 'note' }, h('small', {}, n)),
        ),
      );
      announce(heading);
      // Sent from the form: the keyboard goes on from the report's title.
      if (focus) title.focus();
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };

  kindSelect.addEventListener('change', showFields);
  regionSelect.addEventListener('change', fillChoices);
  postSelect.addEventListener('change', () => {
    fillChoices();
    void loadEditions();
  });
  page(
    t('reports'),
    h(
      'form',
      {
        class: 'inline',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const q = chosen();
          // Into the history without a new render: Back returns to the previous choice.
          const hash = `#/reports?${q}`;
          if (location.hash !== hash) history.pushState(null, '', hash);
          void show(q, true);
        },
      },
      kindField,
      ...Object.values(fields),
      h('button', { type: 'submit' }, t('report')),
    ),
    h('p', {}, h('small', {}, t('filterNote'))),
    out,
  );
  showFields();
  if (kinds.includes('edition')) await loadEditions();
  // A bookmark (or a link from another page naming an edition) shows its report at once.
  if (asked || params.get('edition')) await show(chosen());
}
