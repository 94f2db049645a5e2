import type { EditionResults, GrowthMonth } from '../../../functions/reports/dashboard';
import type { Chart, Table } from '../../../functions/reports/report';
import type { ListSize } from '../../../functions/subscribers/list-sizes';
import { apiPath, type EditionSummary, getJson, type Session } from '../api';
import { h } from '../dom';
import { lang, t } from '../i18n';
import { errorBox, page, statusBadge } from '../layout';
import { has, postOf } from '../session';
import { figureOf, rateText, tableOf } from '../tables';

/** GET /posts/{code}/lists: the post's lists now, and the last twelve months. */
interface Lists {
  readonly lists: readonly ListSize[];
  readonly growth: readonly GrowthMonth[];
  readonly editions: readonly EditionResults[];
}

const GROWTH = ['new', 'confirmed', 'unsubscribed', 'cleaned', 'net'] as const;

/** The post editor's dashboard: the editions (status, next send, last results), the lists and their growth. */
export async function editionsPage(s: Session): Promise<void> {
  const post = postOf(s);
  if (!post) return page(t('editions'), h('p', {}, t('notAllowed')));
  const [{ items }, lists] = await Promise.all([
    getJson<{ items: EditionSummary[] }>(apiPath`/posts/${post}/editions`),
    // The lists are a part of the page: if they fail, the editions still show.
    getJson<Lists>(apiPath`/posts/${post}/lists`).catch((err: unknown) =>
      err instanceof Error ? err : new Error(String(err)),
    ),
  ]);
  const results = new Map((lists instanceof Error ? [] : lists.editions).map((r) => [r.edition, r]));
  page(
    `${t('editions')} · ${post}`,
    has(s, 'post-editor') && h('p', {}, h('a', { class: 'button', href: '#/compose/new' }, t('newEdition'))),
    editionsTable(items, results),
    ...(lists instanceof Error
      ? [
          h(
            'section',
            { 'aria-labelledby': 'h-lists' },
            h('h2', { id: 'h-lists' }, t('lists')),
            errorBox(lists),
          ),
        ]
      : listSections(lists)),
  );
}

function editionsTable(items: readonly EditionSummary[], results: ReadonlyMap<string, EditionResults>) {
  const numbers = (e: EditionSummary) => {
    const r = results.get(e.id);
    return [
      h('td', { 'data-figure': 'recipients' }, r ? String(r.recipients) : '—'),
      h('td', { 'data-figure': 'open-rate' }, rateText(r?.openRateHuman)),
      h('td', { 'data-figure': 'ctr' }, rateText(r?.clickThroughRateHuman)),
    ];
  };
  return h(
    'div',
    { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': t('editions') },
    h(
      'table',
      { 'data-table': 'editions' },
      h('caption', { class: 'visually-hidden' }, t('editions')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            t('title'),
            t('status'),
            t('nextSend'),
            t('updated'),
            t('recipients'),
            t('openRateHuman'),
            t('ctrHuman'),
          ].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        items.length === 0 && h('tr', {}, h('td', { colspan: 7 }, t('noEditions'))),
        items.map((e) =>
          h(
            'tr',
            { 'data-edition': e.id },
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
            ...numbers(e),
          ),
        ),
      ),
    ),
  );
}

/** The lists as a grid (audiences down, languages across, totals), then their growth per month. */
function listSections({ lists, growth }: Lists): HTMLElement[] {
  const audiences = [...new Map(lists.map((l) => [l.audience, l.audienceName])).entries()];
  const languages = [...new Set(lists.map((l) => l.language))];
  const size = (a: string, l: string) =>
    lists.find((x) => x.audience === a && x.language === l)?.confirmed ?? 0;
  const sum = (xs: readonly number[]) => xs.reduce((n, x) => n + x, 0);
  const grid = h(
    'div',
    { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': t('listSizes') },
    h(
      'table',
      { 'data-table': 'lists' },
      h('caption', {}, t('listSizes')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('audience')),
          languages.map((l) => h('th', { scope: 'col' }, l.toUpperCase())),
          h('th', { scope: 'col' }, t('total')),
        ),
      ),
      h(
        'tbody',
        {},
        audiences.map(([id, name]) =>
          h(
            'tr',
            { 'data-audience': id },
            h('th', { scope: 'row' }, name),
            languages.map((l) => h('td', { 'data-list': `${id}/${l}` }, String(size(id, l)))),
            h('td', {}, String(sum(languages.map((l) => size(id, l))))),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, t('total')),
          languages.map((l) => h('td', {}, String(sum(audiences.map(([a]) => size(a, l)))))),
          h('td', { 'data-list': 'total' }, String(sum(lists.map((x) => x.confirmed)))),
        ),
      ),
    ),
  );
  const growthTable: Table = {
    name: 'list-growth',
    title: t('growthPerMonth'),
    columns: [
      { key: 'month', label: t('month'), kind: 'text' },
      ...GROWTH.map((k) => ({ key: k, label: t(`growth.${k}`), kind: 'int' as const })),
    ],
    rows: growth.map((g) => ({ ...g })),
  };
  const growthChart: Chart = {
    id: 'list-growth',
    title: t('growthPerMonth'),
    type: 'bar',
    labels: growth.map((g) => g.month),
    series: [
      { label: t('growth.confirmed'), data: growth.map((g) => g.confirmed) },
      { label: t('growth.unsubscribed'), data: growth.map((g) => -g.unsubscribed) },
      { label: t('growth.cleaned'), data: growth.map((g) => -g.cleaned) },
    ],
  };
  return [
    h('section', { 'aria-labelledby': 'h-lists' }, h('h2', { id: 'h-lists' }, t('lists')), grid),
    h(
      'section',
      { 'aria-labelledby': 'h-growth' },
      h('h2', { id: 'h-growth' }, t('growth')),
      figureOf(growthChart),
      tableOf(growthTable),
    ),
  ];
}
