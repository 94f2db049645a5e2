import type { Chart, Table } from '../../functions/reports/report';
import { ApiError, session } from './api';
import { h } from './dom';
import {
  cellText,
  chartLabels,
  chartTitle,
  columnLabel,
  DASH,
  figureName,
  number,
  type ReportContext,
  rateText,
  tableTitle,
} from './report-wording';

export { rateText };

/** A report's table, its title, headers and figures in the chosen language (the API names them in English). */
export function tableOf(table: Table, ctx?: ReportContext): HTMLElement {
  const title = tableTitle(table, ctx);
  return h(
    'div',
    { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': title },
    h(
      'table',
      { 'data-table': table.name },
      h('caption', {}, title),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          table.columns.map((c) =>
            h('th', { scope: 'col', 'data-column': c.key }, columnLabel(table, c, ctx)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        table.rows.map((r) =>
          h(
            'tr',
            {},
            table.columns.map((c) => h('td', {}, cellText(c, r, ctx))),
          ),
        ),
      ),
    ),
  );
}

export const COLORS = ['#1d4e89', '#b3541e', '#2f6b3a', '#6b2f6b'];

/** A bar chart in SVG (a chart library would be most of the first load); the table beside it has the figures. */
export function chartOf(chart: Chart, ctx?: ReportContext): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const values = chart.series.flatMap((s) => s.data.map((d) => d ?? 0));
  // Losses (a list's unsubscribes) go below a zero line; the scale spans both sides.
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = Math.max(1e-9, max - min);
  const zero = 10 + (max / span) * 190;
  const n = Math.max(1, chart.labels.length);
  const groupW = 600 / n;
  const barW = Math.max(2, (groupW - 8) / Math.max(1, chart.series.length));
  svg.setAttribute('viewBox', '0 0 600 220');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', chartTitle(chart, ctx));
  const shown = (d: number | null) => (d === null ? DASH : chart.percent ? rateText(d) : number().format(d));
  const labels = chartLabels(chart, ctx);
  chart.series.forEach((s, si) => {
    const series = figureName(s.label, ctx);
    s.data.forEach((d, i) => {
      const hgt = (Math.abs(d ?? 0) / span) * 190;
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', String(i * groupW + 4 + si * barW));
      rect.setAttribute('y', String((d ?? 0) < 0 ? zero : zero - hgt));
      rect.setAttribute('width', String(barW - 1));
      rect.setAttribute('height', String(hgt));
      rect.setAttribute('fill', COLORS[si % COLORS.length] ?? '#000');
      const tip = document.createElementNS(ns, 'title');
      tip.textContent = `${labels[i] ?? ''} · ${series}: ${shown(d)}`;
      rect.append(tip);
      svg.append(rect);
    });
  });
  return svg;
}

/** A chart with its caption and legend (the colours of its series); the table beside it has the figures. */
export function figureOf(chart: Chart, ctx?: ReportContext): HTMLElement {
  return h(
    'figure',
    { class: 'chart', 'data-chart': chart.id },
    h('figcaption', {}, chartTitle(chart, ctx)),
    chartOf(chart, ctx),
    h(
      'ul',
      { class: 'legend' },
      chart.series.map((se, i) =>
        h(
          'li',
          {},
          h('span', { class: 'swatch', style: `background:${COLORS[i % COLORS.length]}` }),
          figureName(se.label, ctx),
        ),
      ),
    ),
  );
}

/** Downloads an API answer (the report's own CSV or HTML, audited there) under `name`. */
export async function download(path: string, name: string) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session()?.token ?? ''}` } });
  if (!res.ok) throw new ApiError(res.status, `${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}
