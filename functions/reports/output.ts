import { stringify } from 'csv-stringify/sync';
import { escapeUTF8 } from 'entities';
import type { Cell, Column, Report, Table } from './report';

/**
 * The outputs of a report: a terminal table, JSON, CSV (RFC 4180) and one
 * self-contained HTML file. Every text value may be typed by a person (edition titles,
 * subjects, post names, link addresses): HTML escapes them all, CSV quotes them.
 */
export const REPORT_FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const numberFormat = new Intl.NumberFormat('en-GB');

/** A value as people read it: rates as percentages, counts grouped, nothing as a dash. */
export function formatCell(value: Cell, kind: Column['kind'], unit?: Cell): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)))
    return '—';
  if (typeof value === 'string') return value;
  const as = kind === 'number' && typeof unit === 'string' && unit ? unit : kind;
  if (as === 'rate') return `${(value * 100).toFixed(2)} %`;
  if (as === 'seconds') return `${numberFormat.format(Math.round(value))} s`;
  if (as === 'int' || as === 'count') return numberFormat.format(Math.round(value));
  return numberFormat.format(Math.round(value * 10) / 10);
}

const cellText = (row: Readonly<Record<string, Cell>>, c: Column) =>
  formatCell(row[c.key] ?? null, c.kind, row.unit);

/** Aligned columns for a terminal, one block per table. */
export function toText(report: Report): string {
  const out: string[] = [report.title];
  if (report.period) out.push(`Period ${report.period.from} to ${report.period.to}`);
  for (const w of report.warnings) out.push(`WARNING ${w}`);
  for (const t of report.tables) {
    out.push('', `${t.title}`);
    const cells = t.rows.map((r) => t.columns.map((c) => cellText(r, c)));
    const widths = t.columns.map((c, i) =>
      Math.max(c.label.length, ...cells.map((r) => (r[i] ?? '').length)),
    );
    const line = (parts: string[]) =>
      parts
        .map((p, i) =>
          t.columns[i]?.kind === 'text' ? p.padEnd(widths[i] ?? 0) : p.padStart(widths[i] ?? 0),
        )
        .join('  ')
        .trimEnd();
    out.push(line(t.columns.map((c) => c.label)));
    for (const r of cells) out.push(line(r));
    if (t.rows.length === 0) out.push('(none)');
  }
  for (const n of report.notes) out.push('', `Note: ${n}`);
  return `${out.join('\n')}\n`;
}

export const toJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;

/** CSV columns: one line per table cell, so every table of a report fits one RFC 4180 file. */
export const CSV_HEADER = ['report', 'subject', 'table', 'row', 'column', 'label', 'value'] as const;

/**
 * RFC 4180 (CRLF, quotes doubled), one line per value: report, subject, table, row
 * number (1-based), column key and label, raw value (rates as fractions, nothing as
 * an empty field); a text typed as "=..." stays text in a spreadsheet (escape_formulas). `bom`: a UTF-8 byte order mark, so spreadsheets read accents right.
 */
export function toCsv(report: Report, bom = false): string {
  const records: (string | number)[][] = [];
  for (const t of report.tables)
    t.rows.forEach((row, i) => {
      for (const c of t.columns) {
        const v = row[c.key];
        records.push([
          report.kind,
          report.subject,
          t.name,
          i + 1,
          c.key,
          c.label,
          v === null || v === undefined ? '' : v,
        ]);
      }
    });
  return stringify(records, {
    header: true,
    columns: [...CSV_HEADER],
    record_delimiter: 'windows',
    bom,
    escape_formulas: true,
  });
}

const esc = (s: string) => escapeUTF8(s);

/** JSON inside a <script> element: nothing in it can close the element or start a comment. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function tableHtml(t: Table): string {
  const head = t.columns.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('');
  const body = t.rows.length
    ? t.rows
        .map(
          (r) =>
            `<tr>${t.columns
              .map((c) => `<td class="${c.kind === 'text' ? 't' : 'n'}">${esc(cellText(r, c))}</td>`)
              .join('')}</tr>`,
        )
        .join('\n')
    : `<tr><td colspan="${t.columns.length}">(none)</td></tr>`;
  return `<section class="table"><table id="table-${esc(t.name)}"><caption>${esc(t.title)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

/** Draws each chart from the report's JSON; marks each canvas drawn (the browser test reads it). */
const DRAW = `
(function () {
  var data = JSON.parse(document.getElementById('report-charts').textContent);
  data.forEach(function (c) {
    var canvas = document.getElementById('chart-' + c.id);
    if (!canvas || typeof Chart === 'undefined') return;
    var pct = function (v) { return v === null ? '—' : (v * 100).toFixed(1) + ' %'; };
    var chart = new Chart(canvas, {
      type: c.type,
      data: { labels: c.labels, datasets: c.series.map(function (s) { return { label: s.label, data: s.data, spanGaps: true }; }) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { ticks: c.percent ? { callback: pct } : {} } },
        plugins: { tooltip: c.percent ? { callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + pct(ctx.parsed.y); } } } : {} }
      }
    });
    canvas.setAttribute('data-drawn', String(chart.data.datasets.length));
  });
})();`;

/**
 * One self-contained HTML file: no request leaves it (the charting library is
 * inlined), printable (tables break between rows, charts keep their size), and every
 * table is readable without the charts. `chartLibrary` is Chart.js's UMD bundle.
 */
export function toHtml(report: Report, chartLibrary: string): string {
  const period = report.period ? `<p>Period ${esc(report.period.from)} to ${esc(report.period.to)}</p>` : '';
  const warnings = report.warnings.length
    ? `<section class="warnings"><h2>Deliverability warnings</h2><ul>${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`
    : '';
  const charts = report.charts
    .map(
      (c) =>
        `<figure class="chart"><div class="canvas"><canvas id="chart-${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></canvas></div><figcaption>${esc(c.title)}</figcaption></figure>`,
    )
    .join('\n');
  const notes = report.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('');
  // The library's source is ours (node_modules), but nothing inside may close the element.
  const library = chartLibrary.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.meta { color: #555; }
.warnings { border: 2px solid #b00020; padding: .5rem 1rem; margin: 1rem 0; }
.warnings h2 { color: #b00020; font-size: 1.1rem; margin: 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 1rem; }
.chart { margin: 0; } .chart .canvas { position: relative; height: 280px; }
figcaption { text-align: center; color: #555; }
table { border-collapse: collapse; margin: 1.5rem 0; font-variant-numeric: tabular-nums; min-width: 28rem; }
caption { text-align: left; font-weight: 600; font-size: 1.1rem; padding: .25rem 0; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; }
th { background: #f0f0f0; } td.n { text-align: right; white-space: nowrap; }
.note { color: #555; font-size: .9rem; }
@media print {
  body { margin: 0; font-size: 10pt; }
  .chart { break-inside: avoid; } .chart .canvas { height: 220px; }
  tr { break-inside: avoid; } thead { display: table-header-group; }
}
</style>
</head>
<body>
<header><h1>${esc(report.title)}</h1>${period}<p class="meta">Generated ${esc(report.generatedAt)} · missive usage report (${esc(report.kind)})</p></header>
${warnings}
<section class="charts">${charts}</section>
${report.tables.map(tableHtml).join('\n')}
${notes}
<script type="application/json" id="report-charts">${scriptJson(report.charts)}</script>
<script>${library}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}
