import type { Cell, Chart, Column, Remark, Table } from './report';
import { FIGURES, reportLabels, reportValues } from './wording-labels';

/*
 * A report in English, French or Dutch, by its ids (wording-labels.ts), its numbers and dates
 * through Intl in that language. Pure (no browser, no store): the web app's report pages
 * (app/src/report-wording.ts) and the CSV and HTML downloads (output.ts) both read it.
 */

/** The languages a report is worded in (the web app's, ?lang= on the report routes, --lang). */
export const REPORT_LANGUAGES = ['en', 'fr', 'nl'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

/**
 * The report a table or chart belongs to: its kind and subject pick the texts where one id
 * means two things. Without one (the dashboard's tables, labelled by the page), labels are kept.
 */
export interface ReportContext {
  readonly kind?: string;
  readonly subject?: string;
}

type Texts = Readonly<Record<string, Readonly<Record<ReportLanguage, string>>>>;
const LABELS: Texts = reportLabels;
const VALUES: Texts = reportValues;

export const DASH = '—';
const MONTH = /^\d{4}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** `{names}` in `text` filled from `vars`; undefined when a value is missing. */
function fill(text: string, vars: Readonly<Record<string, string | undefined>>): string | undefined {
  let missing = false;
  const filled = text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : filled;
}

/** A label of the downloads themselves (`export.*`, `csv.*`), its `{names}` filled. */
export const exportText = (lang: ReportLanguage, key: string, vars: Record<string, string> = {}): string =>
  fill(LABELS[key]?.[lang] ?? key, vars) ?? key;

/** A value that is an id (`status`, `region`, `audienceKind`, `contentKind`) in `lang`; the value itself without a text. */
export const valueText = (lang: ReportLanguage, prefix: string, value: string): string =>
  VALUES[`${prefix}.${value}`]?.[lang] ?? value;

/** Every way a report's texts are worded in one language. */
export interface ReportWording {
  readonly lang: ReportLanguage;
  figureName(apiLabel: string, ctx: ReportContext | undefined): string;
  tableTitle(table: Table, ctx: ReportContext | undefined): string;
  columnLabel(table: Table, c: Column, ctx: ReportContext | undefined): string;
  number(digits?: number): Intl.NumberFormat;
  rateText(v: unknown): string;
  dateText(v: string): string;
  cellText(c: Column, row: Readonly<Record<string, Cell>>, ctx: ReportContext | undefined): string;
  wordText(c: Column, row: Readonly<Record<string, Cell>>, v: string, ctx: ReportContext | undefined): string;
  remarkTexts(
    english: readonly string[],
    remarks: readonly Remark[] | undefined,
    ctx: ReportContext,
  ): readonly string[];
  reportTitle(english: string, remark: Remark | undefined, ctx: ReportContext): string;
  chartTitle(chart: Chart, ctx: ReportContext | undefined): string;
  chartLabels(chart: Chart, ctx: ReportContext | undefined): readonly string[];
}

const wordings = new Map<ReportLanguage, ReportWording>();

/**
 * The wording of reports in `lang`: the API's own (English) text where there is none.
 * One per language, kept: it holds its Intl formats, and the app asks for it at each cell.
 */
export function reportWording(lang: ReportLanguage): ReportWording {
  let wording = wordings.get(lang);
  if (!wording) {
    wording = wordingIn(lang);
    wordings.set(lang, wording);
  }
  return wording;
}

function wordingIn(lang: ReportLanguage): ReportWording {
  const value = (prefix: string, v: string) => valueText(lang, prefix, v);

  /**
   * The first of `keys` with a text, its `{names}` filled from `vars`; the API's own (English)
   * text when none has one or a value is missing, so a new table or column still shows.
   */
  function labelOf(
    keys: readonly string[],
    vars: Readonly<Record<string, string | undefined>>,
    api: string,
    ctx: ReportContext | undefined,
  ) {
    // Without a report (the dashboard's own tables), the labels are already the page's.
    if (!ctx) return api;
    for (const key of keys) {
      const text = LABELS[key]?.[lang];
      if (text === undefined) continue;
      return fill(text, vars) ?? api;
    }
    return api;
  }

  /** A summary figure's or a series' name: the API's English label through the one map, FIGURES. */
  function figureName(apiLabel: string, ctx: ReportContext | undefined): string {
    const key = FIGURES[apiLabel];
    // The deliverability table names its figure by its key (hardBounceRate).
    return labelOf(key ? [key] : [`col.${apiLabel}`], {}, apiLabel, ctx);
  }

  const varsOf = (table: Table | undefined, ctx: ReportContext | undefined) => ({
    subject: ctx?.subject,
    ...table?.params,
  });

  const tableTitle = (table: Table, ctx: ReportContext | undefined) =>
    labelOf(
      [`table.${ctx?.kind}.${table.name}`, `table.${table.name}`],
      varsOf(table, ctx),
      table.title,
      ctx,
    );

  const columnLabel = (table: Table, c: Column, ctx: ReportContext | undefined) =>
    labelOf(
      [`col.${ctx?.kind}.${table.name}.${c.key}`, `col.${table.name}.${c.key}`, `col.${c.key}`],
      varsOf(table, ctx),
      c.label,
      ctx,
    );

  // Made once per wording, not per cell: a year's network report has thousands of cells.
  const percent = new Intl.NumberFormat(lang, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const numbers = new Map<number, Intl.NumberFormat>();
  const number = (digits = 2): Intl.NumberFormat => {
    let format = numbers.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(lang, { maximumFractionDigits: digits });
      numbers.set(digits, format);
    }
    return format;
  };
  const months = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const instants = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });

  /** A rate (a fraction) as people read it in the language (12.5% / 12,5 % / 12,5%); none yet is a dash. */
  const rateText = (v: unknown): string =>
    typeof v === 'number' ? percent.format(v) : v === null || v === undefined ? DASH : String(v);

  /** A month (YYYY-MM) or an instant (ISO, UTC) in the language; any other text as it is. */
  function dateText(v: string): string {
    if (MONTH.test(v)) return months.format(new Date(`${v}-01T00:00:00Z`));
    if (INSTANT.test(v) && !Number.isNaN(Date.parse(v))) return instants.format(new Date(v));
    return v;
  }

  /** A summary row's number, by its unit (rate, count, seconds). */
  function summaryNumber(row: Readonly<Record<string, Cell>>, v: number): string {
    if (row.unit === 'rate') return rateText(v);
    if (row.unit === 'seconds') return `${number(1).format(v)} s`;
    return number().format(v);
  }

  /**
   * A text cell that is a word (a figure's name, a unit, a region, a step after the send, a
   * band, a story's kind, an edition's status) in the language; names and dates as they are.
   */
  function wordText(
    c: Column,
    row: Readonly<Record<string, Cell>>,
    v: string,
    ctx: ReportContext | undefined,
  ): string {
    if (c.key === 'value' && 'unit' in row)
      return ctx && FIGURES[String(row.figure)] === 'fig.editionStatus' ? value('status', v) : v;
    if (c.key === 'figure') return figureName(v, ctx);
    if (c.key === 'unit') return labelOf([`unit.${v}`], {}, v, ctx);
    if (c.key === 'region' && ctx) return value('region', v);
    if (c.key === 'when' && ctx) return stepText(row, v, ctx);
    if (c.key === 'band') return labelOf([`band.${v}`], {}, v, ctx);
    if (c.key === 'kind' && ctx?.kind === 'story') return value('contentKind', v);
    return v;
  }

  /** One cell as the language writes it: numbers, percentages, months and dates, figure names, units. */
  function cellText(c: Column, row: Readonly<Record<string, Cell>>, ctx: ReportContext | undefined): string {
    const v = row[c.key];
    if (v === null || v === undefined) return DASH;
    if (c.key === 'value' && 'unit' in row)
      return typeof v === 'string' ? wordText(c, row, v, ctx) : summaryNumber(row, v);
    if (c.kind === 'rate') return rateText(v);
    if (typeof v === 'number')
      return c.kind === 'seconds' ? `${number(1).format(v)} s` : number(c.kind === 'int' ? 0 : 2).format(v);
    // Only the columns that hold dates: a title a person typed is never read as one.
    if (c.key === 'month' || c.key === 'sentAt') return dateText(v);
    return wordText(c, row, v, ctx);
  }

  /** The filter a report was narrowed by (`filter.region: asia`), in the language: "région Asie". */
  function filterText(values: Readonly<Record<string, string | number>>): string | undefined {
    const named = Object.entries(values).filter(([k]) => k.startsWith('filter.'));
    if (named.length === 0) return values.filter === undefined ? undefined : String(values.filter);
    const word = (name: string, v: string) =>
      name === 'region' ? value('region', v) : name === 'audience' ? value('audienceKind', v) : v;
    return named
      .map(([k, v]) => {
        const name = k.slice('filter.'.length);
        const label = (['post', 'region', 'audience', 'language'] as const).find((n) => n === name);
        const said = label ? LABELS[`col.${label}`]?.[lang] : undefined;
        return `${said ? said.toLocaleLowerCase(lang) : name} ${word(name, String(v))}`;
      })
      .join(', ');
  }

  const remarkValue = (name: string, v: string | number, ctx: ReportContext): string => {
    if (typeof v === 'number')
      return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }).format(v);
    if (name === 'figure') return figureName(v, ctx);
    if (name === 'status') return value('status', v);
    if (name === 'subject' && ctx.kind === 'audience') return value('audienceKind', v);
    return dateText(v);
  };

  /**
   * A report's notes or warnings in the language, from its remarks (by id); the API's
   * English where it has none, where they do not pair one for one, or where an id is new.
   */
  function remarkTexts(
    english: readonly string[],
    remarks: readonly Remark[] | undefined,
    ctx: ReportContext,
  ): readonly string[] {
    if (!remarks || remarks.length !== english.length) return english;
    return remarks.map((r, i) => {
      const values = Object.fromEntries(
        Object.entries(r.values ?? {}).map(([name, v]) => [name, remarkValue(name, v, ctx)]),
      );
      const filter = filterText(r.values ?? {});
      if (filter !== undefined) values.filter = filter;
      return labelOf([`remark.${r.id}`], values, english[i] ?? '', ctx);
    });
  }

  /** A report's title in the language, from its title remark; the API's where it has none. */
  function reportTitle(english: string, remark: Remark | undefined, ctx: ReportContext): string {
    if (!remark) return english;
    const { filter: _, ...values } = remark.values ?? {};
    const filter = filterText(remark.values ?? {});
    const [worded] = remarkTexts([english], [{ id: `title.${remark.id}`, values }], ctx);
    // Appended as the API does: "Le réseau (région Europe)".
    const title = worded === english || filter === undefined ? worded : `${worded} (${filter})`;
    return title ?? english;
  }

  /** A step after the send (edition report) by its number in the row: `day 2` is `jour 2`. */
  function stepText(row: Readonly<Record<string, Cell>>, english: string, ctx: ReportContext): string {
    const remark: Remark | undefined =
      typeof row.hour === 'number'
        ? { id: 'after.hour', values: { n: String(row.hour) } }
        : typeof row.day === 'number'
          ? { id: 'after.day', values: { n: String(row.day) } }
          : undefined;
    return remarkTexts([english], remark && [remark], ctx)[0] ?? english;
  }

  const chartTitle = (chart: Chart, ctx: ReportContext | undefined) =>
    labelOf(
      [`chart.${ctx?.kind}.${chart.id}`, `chart.${chart.id}`],
      varsOf(undefined, ctx),
      chart.title,
      ctx,
    );

  /** A chart's labels: by their remarks (`day 2`), else months, the benchmarks' figures, story kinds; post codes as they are. */
  function chartLabels(chart: Chart, ctx: ReportContext | undefined): readonly string[] {
    if (!ctx) return chart.labels.map((l) => (MONTH.test(l) ? dateText(l) : l));
    const worded = remarkTexts(chart.labels, chart.labelRemarks, ctx);
    if (worded !== chart.labels) return worded;
    return chart.labels.map((l) => {
      if (MONTH.test(l)) return dateText(l);
      if (ctx.kind === 'story' && chart.id === 'kinds') return value('contentKind', l);
      return figureName(l, ctx);
    });
  }

  return {
    lang,
    figureName,
    tableTitle,
    columnLabel,
    number,
    rateText,
    dateText,
    cellText,
    wordText,
    remarkTexts,
    reportTitle,
    chartTitle,
    chartLabels,
  };
}
