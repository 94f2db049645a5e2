import type { Cell, Chart, Column, Remark, Table } from '../../functions/reports/report';
import { DASH, type ReportContext, reportWording } from '../../functions/reports/wording';
import { lang } from './i18n';

/*
 * The report API's English, worded in the chosen language by the report's ids, its numbers
 * and dates through Intl: functions/reports/wording.ts, which the CSV and HTML downloads
 * read too; tables.ts draws them. The language is read at each call: it can change between two renders.
 */

export { DASH, type ReportContext };

const w = () => reportWording(lang());

export const figureName = (apiLabel: string, ctx: ReportContext | undefined) => w().figureName(apiLabel, ctx);
export const tableTitle = (table: Table, ctx: ReportContext | undefined) => w().tableTitle(table, ctx);
export const columnLabel = (table: Table, c: Column, ctx: ReportContext | undefined) =>
  w().columnLabel(table, c, ctx);
export const number = (digits = 2) => w().number(digits);
export const rateText = (v: unknown) => w().rateText(v);
export const cellText = (c: Column, row: Readonly<Record<string, Cell>>, ctx: ReportContext | undefined) =>
  w().cellText(c, row, ctx);
export const remarkTexts = (
  english: readonly string[],
  remarks: readonly Remark[] | undefined,
  ctx: ReportContext,
) => w().remarkTexts(english, remarks, ctx);
export const reportTitle = (english: string, remark: Remark | undefined, ctx: ReportContext) =>
  w().reportTitle(english, remark, ctx);
export const chartTitle = (chart: Chart, ctx: ReportContext | undefined) => w().chartTitle(chart, ctx);
export const chartLabels = (chart: Chart, ctx: ReportContext | undefined) => w().chartLabels(chart, ctx);
