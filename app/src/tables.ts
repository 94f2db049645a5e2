import type { Chart, Table } from '../../functions/reports/report';
import { session } from './api';
import { h } from './dom';

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

export const COLORS = ['#1d4e89', '#b3541e', '#2f6b3a', '#6b2f6b'];

/** A bar chart in SVG (a chart library would be most of the first load); the table beside it has the figures. */
export function chartOf(chart: Chart): SVGElement {
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

export async function download(path: string, name: string) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session()?.token ?? ''}` } });
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}
