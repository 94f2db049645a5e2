import { ValidationError } from '../core/errors';
import { addMonths } from '../core/months';
import type { Counts } from './metrics';
import { type Engagement, type Figures, figures, sumCounts, type Warning, warnings } from './metrics';

/**
 * A report, whatever it is about: tables and charts, in one shape that every output
 * (terminal table, JSON, CSV, HTML) reads. Values are raw: rates are fractions, the
 * outputs format them. Text values are whatever people typed: outputs escape them.
 */
export type ColumnKind = 'text' | 'int' | 'rate' | 'number' | 'seconds';
export type Cell = string | number | null;

export interface Column {
  readonly key: string;
  readonly label: string;
  readonly kind: ColumnKind;
}

export interface Table {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
  /** The values in its title (the peer group, the quarter), for a reader that words the title itself (the web app). */
  readonly params?: Readonly<Record<string, string>>;
}

export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly type: 'line' | 'bar';
  readonly labels: readonly string[];
  readonly series: readonly { readonly label: string; readonly data: readonly (number | null)[] }[];
  /** Values are fractions shown as percentages. */
  readonly percent?: boolean;
  /** The labels by id, one for one, where they are words (`day 2`), for a reader that words them itself. */
  readonly labelRemarks?: readonly Remark[];
}

export type ReportKind = 'edition' | 'post' | 'audience' | 'story' | 'network';

export interface Report {
  readonly kind: ReportKind;
  /** What it is about: the edition id, the post code, the audience kind or language, the story. */
  readonly subject: string;
  /** The post it is about (edition and post reports): the audit trail files the export there. */
  readonly post?: string;
  readonly title: string;
  readonly period?: Period;
  readonly generatedAt: string;
  readonly warnings: readonly string[];
  /** Notes on what a figure approximates (docs/metrics.md). */
  readonly notes: readonly string[];
  readonly tables: readonly Table[];
  readonly charts: readonly Chart[];
  /** The notes and warnings by id, one for one and in their order, for a reader that words them itself. */
  readonly remarks?: Remarks;
}

/**
 * A note or a warning by a stable id and the values in it, so that a reader words it in its
 * own language (the web app); numbers are fractions (rates). The English `notes` and
 * `warnings` stay what every output prints.
 */
export interface Remark {
  readonly id: string;
  readonly values?: Readonly<Record<string, string | number>>;
}
export interface Remarks {
  /** The report's title, where it is more than names (a post's is its name and code). */
  readonly title?: Remark;
  readonly notes: readonly Remark[];
  readonly warnings: readonly Remark[];
}

/** Months are UTC calendar months, YYYY-MM; from and to are days, inclusive. */
export interface Period {
  readonly from: string;
  readonly to: string;
  readonly months: readonly string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

function validDay(value: string, field: string, end: boolean): string {
  const day = MONTH.test(value) ? (end ? lastDayOf(value) : `${value}-01`) : value;
  if (
    !DAY.test(day) ||
    Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ||
    new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day
  )
    throw new ValidationError(`${field}: "${value}" is not a date (YYYY-MM-DD or YYYY-MM)`);
  return day;
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    out.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export { addMonths };

/** The period of a report: --from/--to (default: the twelve months up to today), at most five years. */
export function periodOf(from: string | undefined, to: string | undefined, now: Date): Period {
  const toDay = to ? validDay(to, 'to', true) : now.toISOString().slice(0, 10);
  const fromDay = from ? validDay(from, 'from', false) : `${addMonths(toDay.slice(0, 7), -11)}-01`;
  if (fromDay > toDay) throw new ValidationError(`from ${fromDay} is after to ${toDay}`);
  const months = monthsBetween(fromDay, toDay);
  if (months.length > 60) throw new ValidationError(`from ${fromDay} to ${toDay}: at most 60 months`);
  return { from: fromDay, to: toDay, months };
}

/**
 * The engagement rate's window: the three months ending with the period's last month,
 * named by that month (its counters hold the window's unique people: metrics.engagement).
 */
export const engagementWindowEnd = (period: Period): string =>
  period.months[period.months.length - 1] as string;

/** The engagement rate's three months, oldest first (metrics.engagement reads one scope's counts of them). */
export const engagementWindow = (period: Period): string[] => {
  const end = engagementWindowEnd(period);
  return [addMonths(end, -2), addMonths(end, -1), end];
};

/** The note every report with an engagement rate carries: what it counts, over which months. */
export function engagementNote(period: Period): string {
  const end = engagementWindowEnd(period);
  return `Engagement rate (GovDelivery/Granicus): unique people who opened or clicked / unique people sent to, in ${addMonths(end, -2)} to ${end} (docs/metrics.md).`;
}

/** engagementNote by id: `engagement`, or `id` for a note that says more. */
export function engagementRemark(period: Period, id = 'engagement'): Remark {
  const end = engagementWindowEnd(period);
  return { id, values: { from: addMonths(end, -2), to: end } };
}

/** The engagement rows of a summary table: the rate and the people it is made of. */
export function engagementRows(eng: Engagement): [string, Cell, ColumnKind][] {
  return [
    ['Engagement rate (3 months)', eng.engagementRate, 'rate'],
    ['Engagement rate (3 months, human)', eng.engagementRateHuman, 'rate'],
    ['People sent to (3 months)', eng.sentTo, 'int'],
    ['People who opened or clicked (3 months)', eng.engaged, 'int'],
  ];
}

/** The quarter holding the period's end, and the one before it. */
export function quarters(period: Period): { current: string[]; previous: string[]; label: string } {
  const last = period.months[period.months.length - 1] as string;
  const [y, m] = last.split('-').map(Number) as [number, number];
  const first = `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}`;
  const current = [first, addMonths(first, 1), addMonths(first, 2)];
  const previous = [addMonths(first, -3), addMonths(first, -2), addMonths(first, -1)];
  return { current, previous, label: `${y}-Q${Math.floor((m - 1) / 3) + 1}` };
}

/** The figure columns of a figures row, in the order every report shows them (human beside all). */
export const FIGURE_COLUMNS: readonly Column[] = [
  { key: 'recipients', label: 'Recipients', kind: 'int' },
  { key: 'delivered', label: 'Delivered', kind: 'int' },
  { key: 'deliveryRate', label: 'Delivery rate', kind: 'rate' },
  { key: 'hardBounceRate', label: 'Hard bounce rate', kind: 'rate' },
  { key: 'softBounceRate', label: 'Soft bounce rate', kind: 'rate' },
  { key: 'complaintRate', label: 'Complaint rate', kind: 'rate' },
  { key: 'spamRate', label: 'Spam rate', kind: 'rate' },
  { key: 'uniqueOpensHuman', label: 'Unique opens (human)', kind: 'int' },
  { key: 'uniqueOpens', label: 'Unique opens (all)', kind: 'int' },
  { key: 'openRateHuman', label: 'Open rate (human)', kind: 'rate' },
  { key: 'openRate', label: 'Open rate (all)', kind: 'rate' },
  { key: 'uniqueClicksHuman', label: 'Unique clicks (human)', kind: 'int' },
  { key: 'uniqueClicks', label: 'Unique clicks (all)', kind: 'int' },
  { key: 'clickThroughRateHuman', label: 'CTR (human)', kind: 'rate' },
  { key: 'clickThroughRate', label: 'CTR (all)', kind: 'rate' },
  { key: 'clickToOpenRateHuman', label: 'CTOR (human)', kind: 'rate' },
  { key: 'clickToOpenRate', label: 'CTOR (all)', kind: 'rate' },
  { key: 'unsubscribes', label: 'Unsubscribes', kind: 'int' },
  { key: 'unsubscribeRate', label: 'Unsubscribe rate', kind: 'rate' },
];

export const figureCells = (f: Figures): Record<string, Cell> => ({ ...f });

/** A one-row-per-figure table: easier to read than 19 columns for a single total. */
export function summaryTable(
  name: string,
  title: string,
  f: Figures,
  extra: readonly [string, Cell, ColumnKind][] = [],
): Table {
  const values = f as unknown as Record<string, number | null>;
  return {
    name,
    title,
    columns: [
      { key: 'figure', label: 'Figure', kind: 'text' },
      { key: 'value', label: 'Value', kind: 'number' },
      { key: 'unit', label: 'Unit', kind: 'text' },
    ],
    rows: [
      ...FIGURE_COLUMNS.map((c) => ({
        figure: c.label,
        value: values[c.key] ?? null,
        unit: c.kind === 'rate' ? 'rate' : 'count',
      })),
      ...extra.map(([label, value, kind]) => ({
        figure: label,
        value,
        unit: kind === 'rate' ? 'rate' : kind === 'seconds' ? 'seconds' : kind === 'text' ? '' : 'count',
      })),
    ],
  };
}

/** Warnings of some figures, each prefixed with what they are about. */
export const warningLines = (about: string, f: Figures): string[] =>
  warnings(f).map((w: Warning) => `${about}: ${w.message}`);

/** warningLines by id: `about` is a value when it is a name (a post, a variant), in the id when it is a word. */
export const warningRemarks = (id: string, f: Figures, about?: string): Remark[] =>
  warnings(f).map((w) => ({
    id,
    values: {
      ...(about === undefined ? {} : { about }),
      figure: w.figure,
      value: w.value,
      threshold: w.threshold,
      who: w.who,
    },
  }));

export async function readMany(
  read: (scope: string) => Promise<{ counts: Counts }>,
  scopeList: readonly string[],
): Promise<Counts[]> {
  return Promise.all(scopeList.map(async (s) => (await read(s)).counts));
}

export const totals = (all: readonly Counts[]): Figures => figures(sumCounts(all));
