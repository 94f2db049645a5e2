import { stringify } from 'csv-stringify/sync';
import { escapeUTF8 } from 'entities';
import type { Cell, Chart, Column, Report, Table } from './report';
import { exportText, type ReportLanguage, reportWording } from './wording';

/**
 * The outputs of a report: a terminal table, JSON, CSV (RFC 4180) and one
 * self-contained HTML file. Every text value may be typed by a person (edition titles,
 * subjects, post names, link addresses): HTML escapes them all, CSV quotes them.
 * All but JSON in English (the report's own words) or, by its ids, in French or Dutch (wording.ts).
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

type Row = Readonly<Record<string, Cell>>;

/** What an output says of a report in one language: its titles, labels, cells, remarks. */
interface ExportWords {
  readonly lang: ReportLanguage;
  readonly title: string;
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
  /** When the report was made: ISO in English (as the API writes it), as people read it otherwise. */
  readonly generatedAt: string;
  /** The charts with their titles, labels and series named. */
  readonly charts: readonly Chart[];
  /** The output's own words (`export.*`, `csv.*`). */
  text(key: string, vars?: Record<string, string>): string;
  tableTitle(t: Table): string;
  columnLabel(t: Table, c: Column): string;
  /** A cell as people read it. */
  cell(row: Row, c: Column): string;
  /** A text cell in the CSV: words worded, names and dates as they are. */
  csvText(row: Row, c: Column, v: string): string;
  /** A number of a chart's axis and tooltips, as the HTML's script writes it (`v` a fraction). */
  readonly percentScript: string;
}

/** The report's own words: English, as the API builds it. */
const english = (report: Report): ExportWords => ({
  lang: 'en',
  title: report.title,
  warnings: report.warnings,
  notes: report.notes,
  generatedAt: report.generatedAt,
  charts: report.charts,
  text: (key, vars) => exportText('en', key, vars),
  tableTitle: (t) => t.title,
  columnLabel: (_, c) => c.label,
  cell: (row, c) => formatCell(row[c.key] ?? null, c.kind, row.unit),
  csvText: (_row, _c, v) => v,
  percentScript: "(v * 100).toFixed(1) + ' %'",
});

/** The report worded in `lang` by its ids, numbers and dates through Intl; English where a text is missing. */
function worded(report: Report, lang: ReportLanguage): ExportWords {
  const w = reportWording(lang);
  const ctx = { kind: report.kind, subject: report.subject };
  return {
    lang,
    title: w.reportTitle(report.title, report.remarks?.title, ctx),
    warnings: w.remarkTexts(report.warnings, report.remarks?.warnings, ctx),
    notes: w.remarkTexts(report.notes, report.remarks?.notes, ctx),
    generatedAt: w.dateText(report.generatedAt),
    charts: report.charts.map((c) => ({
      ...c,
      title: w.chartTitle(c, ctx),
      labels: w.chartLabels(c, ctx),
      series: c.series.map((s) => ({ ...s, label: w.figureName(s.label, ctx) })),
    })),
    text: (key, vars) => exportText(lang, key, vars),
    tableTitle: (t) => w.tableTitle(t, ctx),
    columnLabel: (t, c) => w.columnLabel(t, c, ctx),
    cell: (row, c) => w.cellText(c, row, ctx),
    csvText: (row, c, v) => w.wordText(c, row, v, ctx),
    percentScript: `new Intl.NumberFormat(${JSON.stringify(lang)}, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v)`,
  };
}

const wordsOf = (report: Report, lang: ReportLanguage): ExportWords =>
  lang === 'en' ? english(report) : worded(report, lang);

/** Aligned columns for a terminal, one block per table. */
export function toText(report: Report, lang: ReportLanguage = 'en'): string {
  const words = wordsOf(report, lang);
  const out: string[] = [words.title];
  if (report.period)
    out.push(words.text('export.period', { from: report.period.from, to: report.period.to }));
  for (const w of words.warnings) out.push(`${words.text('export.warning')} ${w}`);
  for (const t of report.tables) {
    out.push('', words.tableTitle(t));
    const labels = t.columns.map((c) => words.columnLabel(t, c));
    const cells = t.rows.map((r) => t.columns.map((c) => words.cell(r, c)));
    const widths = labels.map((label, i) => Math.max(label.length, ...cells.map((r) => (r[i] ?? '').length)));
    const line = (parts: string[]) =>
      parts
        .map((p, i) =>
          t.columns[i]?.kind === 'text' ? p.padEnd(widths[i] ?? 0) : p.padStart(widths[i] ?? 0),
        )
        .join('  ')
        .trimEnd();
    out.push(line(labels));
    for (const r of cells) out.push(line(r));
    if (t.rows.length === 0) out.push(words.text('export.none'));
  }
  for (const n of words.notes) out.push('', `${words.text('export.note')}: ${n}`);
  return `${out.join('\n')}\n`;
}

export const toJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;

/** CSV columns: one line per table cell, so every table of a report fits one RFC 4180 file. */
export const CSV_HEADER = ['report', 'subject', 'table', 'row', 'column', 'label', 'value'] as const;

/**
 * RFC 4180 (CRLF, quotes doubled), one line per value: report, subject, table, row
 * number (1-based), column key and label, raw value (rates as fractions, nothing as
 * an empty field); a text typed as "=..." stays text in a spreadsheet (escape_formulas). `bom`: a UTF-8 byte order mark, so spreadsheets read accents right.
 * In `lang`: the header, the labels and the values that are words (a figure's name, a unit,
 * a region); the ids (report, table, column), names, dates and numbers stay as they are.
 */
export function toCsv(report: Report, bom = false, lang: ReportLanguage = 'en'): string {
  const words = wordsOf(report, lang);
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
          words.columnLabel(t, c),
          v === null || v === undefined ? '' : typeof v === 'string' ? words.csvText(row, c, v) : v,
        ]);
      }
    });
  return stringify(records, {
    header: true,
    columns: CSV_HEADER.map((key) => ({ key, header: words.text(`csv.${key}`) })),
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

function tableHtml(t: Table, words: ExportWords): string {
  const head = t.columns.map((c) => `<th scope="col">${esc(words.columnLabel(t, c))}</th>`).join('');
  const body = t.rows.length
    ? t.rows
        .map(
          (r) =>
            `<tr>${t.columns
              .map((c) => `<td class="${c.kind === 'text' ? 't' : 'n'}">${esc(words.cell(r, c))}</td>`)
              .join('')}</tr>`,
        )
        .join('\n')
    : `<tr><td colspan="${t.columns.length}">${esc(words.text('export.none'))}</td></tr>`;
  return `<section class="table"><table id="table-${esc(t.name)}"><caption>${esc(words.tableTitle(t))}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

/** Draws each chart from the report's JSON; marks each canvas drawn (the browser test reads it). `percent`: `v` as a percentage. */
const draw = (percent: string) => `
(function () {
  var data = JSON.parse(document.getElementById('report-charts').textContent);
  data.forEach(function (c) {
    var canvas = document.getElementById('chart-' + c.id);
    if (!canvas || typeof Chart === 'undefined') return;
    var pct = function (v) { return v === null ? '—' : ${percent}; };
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
export function toHtml(report: Report, chartLibrary: string, lang: ReportLanguage = 'en'): string {
  const words = wordsOf(report, lang);
  const period = report.period
    ? `<p>${esc(words.text('export.period', { from: report.period.from, to: report.period.to }))}</p>`
    : '';
  const warnings = words.warnings.length
    ? `<section class="warnings"><h2>${esc(words.text('export.warnings'))}</h2><ul>${words.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`
    : '';
  const charts = words.charts
    .map(
      (c) =>
        `<figure class="chart"><div class="canvas"><canvas id="chart-${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></canvas></div><figcaption>${esc(c.title)}</figcaption></figure>`,
    )
    .join('\n');
  const notes = words.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('');
  const generated = words.text('export.generated', {
    at: words.generatedAt,
    kind: words.text(`export.kind.${report.kind}`),
  });
  // The library's source is ours (node_modules), but nothing inside may close the element.
  const library = chartLibrary.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(words.title)}</title>
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
<header><h1>${esc(words.title)}</h1>${period}<p class="meta">${esc(generated)}</p></header>
${warnings}
<section class="charts">${charts}</section>
${report.tables.map((t) => tableHtml(t, words)).join('\n')}
${notes}
<script type="application/json" id="report-charts">${scriptJson(words.charts)}</script>
<script>${library}</script>
<script>${draw(words.percentScript)}</script>
</body>
</html>
`;
}
