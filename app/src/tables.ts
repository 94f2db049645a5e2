import type { Chart, Table } from '../../functions/reports/report';
import { ApiError, session } from './api';
import { h } from './dom';

/** A rate (a fraction) as people read it; none yet is a dash. */
export const rateText = (v: unknown): string =>
  typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : v === null || v === undefined ? '—' : String(v);

export function tableOf(table: Table): HTMLElement {
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
              return h(
                'td',
                {},
                c.kind === 'rate' ? rateText(v) : v === null || v === undefined ? '—' : String(v),
              );
            }),
          ),
        ),
      ),
    ),
  );
}

export const COLORS = ['#1d4e89', '#b3541e', '#2f6b3a', '#6b2f6b'];

/** A bar chart in SVG (a chart library would be most of the first load); the table beside it has the figures. */
export function chartOf(chart: Chart): SVGElement {
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
  svg.setAttribute('aria-label', chart.title);
  const shown = (d: number | null) => (d === null ? '—' : chart.percent ? rateText(d) : String(d));
  chart.series.forEach((s, si) => {
    s.data.forEach((d, i) => {
      const hgt = (Math.abs(d ?? 0) / span) * 190;
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', String(i * groupW + 4 + si * barW));
      rect.setAttribute('y', String((d ?? 0) < 0 ? zero : zero - hgt));
      rect.setAttribute('width', String(barW - 1));
      rect.setAttribute('height', String(hgt));
      rect.setAttribute('fill', COLORS[si % COLORS.length] ?? '#000');
      const tip = document.createElementNS(ns, 'title');
      tip.textContent = `${chart.labels[i] ?? ''} · ${s.label}: ${shown(d)}`;
      rect.append(tip);
      svg.append(rect);
    });
  });
  return svg;
}

/** A chart with its caption and legend (the colours of its series); the table beside it has the figures. */
export function figureOf(chart: Chart): HTMLElement {
  return h(
    'figure',
    { class: 'chart', 'data-chart': chart.id },
    h('figcaption', {}, chart.title),
    chartOf(chart),
    h(
      'ul',
      { class: 'legend' },
      chart.series.map((se, i) =>
        h(
          'li',
          {},
          h('span', { class: 'swatch', style: `background:${COLORS[i % COLORS.length]}` }),
          se.label,
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
