import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv, toHtml, toText } from '../../functions/reports/output';
import type { Chart, Column, Report, Table } from '../../functions/reports/report';
import { reportWording } from '../../functions/reports/wording';

/** The report wording of the web app's pages and of the CSV/HTML downloads: one module, the language a parameter. */
const summary: Table = {
  name: 'summary',
  title: 'Edition totals',
  columns: [
    { key: 'figure', label: 'Figure', kind: 'text' },
    { key: 'value', label: 'Value', kind: 'number' },
    { key: 'unit', label: 'Unit', kind: 'text' },
  ],
  rows: [
    { figure: 'Recipients', value: 1234, unit: 'count' },
    { figure: 'Open rate (human)', value: 0.125, unit: 'rate' },
    { figure: 'Edition status', value: 'sent', unit: '' },
    { figure: 'Spam rate', value: null, unit: 'rate' },
  ],
};

const report: Report = {
  kind: 'edition',
  subject: 'ed-1',
  post: 'tokyo',
  title: 'Edition "Hello <b>" (tokyo)',
  period: { from: '2026-01-01', to: '2026-03-31', months: ['2026-01', '2026-02', '2026-03'] },
  generatedAt: '2026-03-31T10:00:00.000Z',
  warnings: ["edition: Hard bounce rate 6.00 % reaches Amazon SES's line of 5.00 %"],
  notes: ['Sent 2026-03-01T09:00:00.000Z; status sent. Series from 2026-03-01T09:00:00.000Z.'],
  tables: [
    summary,
    {
      name: 'after-send',
      title: 'Opens and clicks after the send (hour by hour, then day by day)',
      columns: [
        { key: 'when', label: 'After the send', kind: 'text' },
        { key: 'opens', label: 'Opens (all)', kind: 'int' },
        { key: 'sentAt', label: 'Sent', kind: 'text' },
      ],
      rows: [
        { when: 'day 2', day: 2, opens: 12345, sentAt: '2026-03-01T09:00:00.000Z' },
        { when: 'Brand new', opens: 3, sentAt: '=HYPERLINK("x")' },
      ],
    },
    { name: 'brand-new', title: 'A table with no text yet', columns: [], rows: [] },
  ],
  charts: [
    {
      id: 'months',
      title: 'Monthly trend',
      type: 'line',
      labels: ['2026-01', '2026-02'],
      series: [{ label: 'Open rate (human)', data: [0.1, 0.2] }],
      percent: true,
    },
  ],
  remarks: {
    title: { id: 'edition', values: { title: 'Hello <b>', post: 'tokyo' } },
    notes: [
      {
        id: 'edition.sent',
        values: { sentAt: '2026-03-01T09:00:00.000Z', status: 'sent', start: '2026-03-01T09:00:00.000Z' },
      },
    ],
    warnings: [
      {
        id: 'line.edition',
        values: { figure: 'Hard bounce rate', value: 0.06, threshold: 0.05, who: 'Amazon SES' },
      },
    ],
  },
};

const ctx = { kind: report.kind, subject: report.subject };

describe('reportWording(lang)', () => {
  it('words titles, columns, figures, units and steps by their ids, numbers and dates through Intl', () => {
    const fr = reportWording('fr');
    expect(fr.tableTitle(summary, ctx)).toBe('Totaux de l’édition');
    expect(fr.columnLabel(summary, { key: 'figure', label: 'Figure', kind: 'text' }, ctx)).toBe('Indicateur');
    const cells = summary.rows.map((r) => summary.columns.map((c) => fr.cellText(c, r, ctx)));
    expect(cells[0]).toEqual(['Destinataires', '1\u202f234', 'nombre']);
    expect(cells[1]).toEqual(['Taux d’ouverture (humain)', '12,5\u00a0%', 'taux']);
    expect(cells[2]?.slice(0, 2)).toEqual(['Statut de l’édition', 'Envoyée']);
    expect(cells[3]?.[1]).toBe('—');
    const nl = reportWording('nl');
    expect(nl.reportTitle(report.title, report.remarks?.title, ctx)).toBe('Editie "Hello <b>" (tokyo)');
    expect(nl.remarkTexts(report.warnings, report.remarks?.warnings, ctx)).toEqual([
      'editie: Harde bouncegraad 6% bereikt de grens van Amazon SES (5%)',
    ]);
    expect(nl.dateText('2026-03')).toBe('mrt 2026');
    // The post report's note on medians left out for a small group (benchmark.ts).
    expect(
      reportWording('fr').remarkTexts(['Medians…'], [{ id: 'benchmarkGroup', values: { min: '5' } }], ctx)[0],
    ).toMatch(/^Les médianes et les percentiles ne sont montrés que pour des groupes d’au moins 5 postes/);
    expect(nl.chartLabels(report.charts[0] as Chart, ctx)).toEqual(['jan 2026', 'feb 2026']);
  });

  it('keeps the API English where it has no text, and names and dates as they are in wordText', () => {
    const fr = reportWording('fr');
    const brandNew = report.tables[2] as Table;
    expect(fr.tableTitle(brandNew, ctx)).toBe('A table with no text yet');
    expect(fr.remarkTexts(['One', 'Two'], [{ id: 'engagement' }], ctx)).toEqual(['One', 'Two']);
    const after = report.tables[1] as Table;
    const [when, , sentAt] = after.columns as [Column, Column, Column];
    expect(fr.wordText(when, after.rows[0] ?? {}, 'day 2', ctx)).toBe('jour 2');
    expect(fr.wordText(sentAt, after.rows[0] ?? {}, '2026-03-01T09:00:00.000Z', ctx)).toBe(
      '2026-03-01T09:00:00.000Z',
    );
    // Without a report (the dashboard's own tables), labels stay the page's.
    expect(fr.tableTitle(summary, undefined)).toBe('Edition totals');
  });
});

describe('the downloads in a language', () => {
  it('CSV: the header, labels and words in French; ids, names, dates and raw numbers as in English', () => {
    const en: Record<string, string>[] = parse(toCsv(report), { columns: true });
    const csv = toCsv(report, false, 'fr');
    expect(csv.startsWith('rapport,objet,tableau,ligne,colonne,libellé,valeur\r\n')).toBe(true);
    const fr: Record<string, string>[] = parse(csv, { columns: true });
    expect(fr).toHaveLength(en.length);
    fr.forEach((r, i) => {
      const e = en[i] ?? {};
      expect([r.rapport, r.objet, r.tableau, r.ligne, r.colonne]).toEqual([
        e.report,
        e.subject,
        e.table,
        e.row,
        e.column,
      ]);
      // Numbers stay machine-readable: the same digits, a point, no grouping.
      if (/^-?[\d.]+$/.test(e.value ?? '')) expect(r.valeur).toBe(e.value);
    });
    const cell = (table: string, row: string, column: string) =>
      fr.find((r) => r.tableau === table && r.ligne === row && r.colonne === column);
    expect(cell('summary', '2', 'figure')).toMatchObject({
      libellé: 'Indicateur',
      valeur: 'Taux d’ouverture (humain)',
    });
    expect(cell('summary', '2', 'value')?.valeur).toBe('0.125');
    expect(cell('summary', '2', 'unit')?.valeur).toBe('taux');
    expect(cell('after-send', '1', 'when')?.valeur).toBe('jour 2');
    expect(cell('after-send', '1', 'sentAt')?.valeur).toBe('2026-03-01T09:00:00.000Z');
    // A typed formula stays text, as in English.
    expect(cell('after-send', '2', 'sentAt')?.valeur).toBe('\'=HYPERLINK("x")');
  });

  it('HTML: <html lang>, titles, headings, headers, cells, chart labels and notes in Dutch', () => {
    const html = toHtml(report, '/* chart.js */', 'nl');
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('<title>Editie &quot;Hello &lt;b&gt;&quot; (tokyo)</title>');
    expect(html).toContain('<p>Periode van 2026-01-01 tot 2026-03-31</p>');
    expect(html).toContain('Gemaakt op 31 mrt 2026, 10:00 UTC · gebruiksrapport missive (editie)');
    expect(html).toContain('<h2>Waarschuwingen over afleverbaarheid</h2>');
    expect(html).toContain('<caption>Totalen van de editie</caption>');
    expect(html).toContain('<th scope="col">Cijfer</th>');
    expect(html).toContain('<td class="n">12,5%</td>');
    expect(html).toContain('<td colspan="0">(geen rijen)</td>');
    expect(html).toContain('<p class="note">Verzonden op 1 mrt 2026, 09:00 UTC; status: Verzonden.');
    const charts = JSON.parse(/id="report-charts">(.*?)<\/script>/.exec(html)?.[1] ?? '[]');
    expect(charts[0]).toMatchObject({
      title: 'Maandelijkse trend',
      labels: ['jan 2026', 'feb 2026'],
      series: [{ label: 'Openingsgraad (mensen)' }],
    });
    expect(html).toContain('new Intl.NumberFormat("nl", { style: \'percent\'');
  });

  it('English is the report as the API words it, whether asked for or by default', () => {
    expect(toHtml(report, '', 'en')).toBe(toHtml(report, ''));
    expect(toCsv(report, true, 'en')).toBe(toCsv(report, true));
    const html = toHtml(report, '');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Generated 2026-03-31T10:00:00.000Z · missive usage report (edition)');
    expect(html).toContain("(v * 100).toFixed(1) + ' %'");
    expect(toText(report, 'fr')).toMatch(
      /^Édition « Hello <b> » \(tokyo\)\nPériode du 2026-01-01 au 2026-03-31\n/,
    );
  });
});
