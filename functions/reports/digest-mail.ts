import { escapeUTF8 } from 'entities';
import { nameIn } from '../core/model';
import type { DigestData, DigestWarning, TrendPoint } from './digest-data';
import { DIGEST_LABELS, type DigestLabels, type DigestLanguage, fill, type Plural } from './digest-labels';
import { THRESHOLDS } from './metrics';

/**
 * The monthly digest as a mail in one language: subject, HTML (MJML, which mail
 * clients render, Outlook's included) and plain text. Its charts are "bulletproof"
 * bars: table cells with a width and a background colour, no script, no SVG, no
 * image (Gmail and Outlook show none of those); every bar has its number beside it in
 * text, so the mail reads the same without them. Everything a person typed (post
 * names, edition titles) is escaped.
 */
export interface DigestMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface DigestMailOptions {
  /** The web app's base (…/app/): a link to the full report; none when unknown. */
  readonly appUrl?: string | undefined;
}

const esc = (s: string) => escapeUTF8(s);
const OPEN_COLOUR = '#1d3b6f';
const CLICK_COLOUR = '#6f8fbf';
const WARN_COLOUR = '#b00020';
/** How many posts HQ's digest ranks (the rest are in the full report). */
export const RANKED_POSTS = 10;

function formats(language: DigestLanguage) {
  const monthLong = new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const monthShort = new Intl.DateTimeFormat(language, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const count = new Intl.NumberFormat(language);
  const percent = (digits: number) =>
    new Intl.NumberFormat(language, {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const pct1 = percent(1);
  const pct2 = percent(2);
  const asDate = (month: string) => new Date(`${month}-01T00:00:00Z`);
  const plural = new Intl.PluralRules(language);
  return {
    /** "1 edition", "2 editions": the label's form for n, with n formatted. */
    counted: (forms: Plural, n: number) =>
      fill(plural.select(n) === 'one' ? forms.one : forms.other, { n: count.format(n) }),
    month: (m: string) => monthLong.format(asDate(m)),
    monthShort: (m: string) => monthShort.format(asDate(m)),
    count: (n: number) => count.format(n),
    /** Open and click rates: one decimal. Nothing to divide by: a dash, never 0 %. */
    rate: (v: number | null) => (v === null ? '—' : pct1.format(v)),
    /** Deliverability rates sit near 0.1 %: two decimals. */
    fine: (v: number | null) => (v === null ? '—' : pct2.format(v)),
  };
}
type Formats = ReturnType<typeof formats>;

/** What the digest is about, as its reader names it. */
const aboutOf = (d: DigestData, language: DigestLanguage, l: DigestLabels) =>
  d.kind === 'post' ? nameIn(d.post, language) : l.network;

/**
 * The full report in the web app, for the digest's month, or one edition's (the app's
 * reports page reads these parameters). A post's editors may read only its editions'
 * reports: the app then opens on those, so each edition is linked too.
 */
export function reportLink(d: DigestData, appUrl: string | undefined, edition?: string): string | undefined {
  if (!appUrl) return undefined;
  const q = new URLSearchParams(
    d.kind === 'network'
      ? { kind: 'network', from: d.month, to: d.month }
      : edition
        ? { kind: 'edition', post: d.post.code, edition }
        : { kind: 'post', post: d.post.code, from: d.month, to: d.month },
  );
  return `${appUrl.replace(/\/*$/, '/')}#/reports?${q}`;
}

function warningLine(w: DigestWarning, d: DigestData, language: DigestLanguage, l: DigestLabels, f: Formats) {
  const about =
    w.about.kind === 'self'
      ? aboutOf(d, language, l)
      : w.about.kind === 'edition'
        ? fill(l.edition, { title: w.about.title })
        : nameIn(w.about.post, language);
  return fill(l.warning, {
    about: about.charAt(0).toUpperCase() + about.slice(1),
    figure: l[w.figure].toLowerCase(),
    value: f.fine(w.value),
    line: f.fine(w.threshold),
    whose: w.figure === 'spamRate' ? l.gmail : l.sesReview,
  });
}

interface Figure {
  readonly label: string;
  readonly value: string;
  readonly median?: string;
}

function keyFigures(d: DigestData, l: DigestLabels, f: Formats): Figure[] {
  const t = d.totals;
  const common = (median?: { openRateHuman: number | null; clickThroughRateHuman: number | null }) => [
    { label: l.recipients, value: f.count(t.recipients) },
    { label: l.delivered, value: f.count(t.delivered) },
    {
      label: l.openRateHuman,
      value: f.rate(t.openRateHuman),
      ...(median ? { median: f.rate(median.openRateHuman) } : {}),
    },
    {
      label: l.clickThroughRateHuman,
      value: f.rate(t.clickThroughRateHuman),
      ...(median ? { median: f.rate(median.clickThroughRateHuman) } : {}),
    },
    { label: l.unsubscribes, value: f.count(t.unsubscribes) },
    { label: l.hardBounceRate, value: f.fine(t.hardBounceRate) },
    { label: l.complaintRate, value: f.fine(t.complaintRate) },
    { label: l.spamRate, value: f.fine(t.spamRate) },
  ];
  if (d.kind === 'post')
    return [
      { label: l.editions, value: f.count(d.editions.length) },
      ...common(d.medians),
      { label: l.engagementRateHuman, value: f.rate(d.engagementRateHuman) },
      { label: l.newSubscriptions, value: f.count(d.growth.new) },
      { label: l.netGrowth, value: f.count(d.growth.net) },
    ];
  return [
    { label: l.adoption, value: `${f.count(d.sending)} / ${f.count(d.posts)}` },
    { label: l.hqBroadcasts, value: f.count(d.hqBroadcasts) },
    { label: l.crisisAlerts, value: f.count(d.crisisAlerts) },
    ...common(),
  ];
}

/** One chart row: a label, then an open-rate bar and a click-rate bar, each with its number. */
interface BarRow {
  readonly label: string;
  /** The label links there (an edition's report in the web app). */
  readonly href?: string | undefined;
  readonly detail?: string;
  readonly open: number | null;
  readonly clicks: number | null;
}

/** A bar as two table cells: the filled width, then the rest (widths in whole percent). */
function bar(value: number | null, scale: number, colour: string): string {
  const width =
    value === null || scale <= 0 ? 0 : Math.max(value > 0 ? 1 : 0, Math.round((value / scale) * 100));
  const cell = (w: number, fillColour?: string) =>
    `<td width="${w}%" height="10" style="height:10px;line-height:10px;font-size:1px;${
      fillColour ? `background-color:${fillColour};` : ''
    }"${fillColour ? ` bgcolor="${fillColour}"` : ''}>&nbsp;</td>`;
  const cells =
    width === 0 ? cell(100) : width >= 100 ? cell(100, colour) : cell(width, colour) + cell(100 - width);
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;"><tr>${cells}</tr></table>`;
}

function barChart(rows: readonly BarRow[], l: DigestLabels, f: Formats): string {
  const scale = Math.max(0, ...rows.flatMap((r) => [r.open ?? 0, r.clicks ?? 0]));
  const label = 'padding:6px 8px 6px 0;vertical-align:top;font-size:13px;line-height:18px;color:#1a1a1a;';
  const num = 'padding:0 0 0 8px;font-size:12px;line-height:14px;color:#333333;white-space:nowrap;';
  return rows
    .map(
      (r) => `<tr>
<td width="38%" style="${label}">${
        r.href ? `<a href="${esc(r.href)}" style="color:${OPEN_COLOUR};">${esc(r.label)}</a>` : esc(r.label)
      }${r.detail ? `<br><span style="color:#555555;font-size:12px;">${esc(r.detail)}</span>` : ''}</td>
<td width="62%" style="padding:6px 0;vertical-align:top;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td width="70%" style="padding:2px 0;">${bar(r.open, scale, OPEN_COLOUR)}</td><td style="${num}">${esc(l.open)} ${esc(f.rate(r.open))}</td></tr>
<tr><td width="70%" style="padding:2px 0;">${bar(r.clicks, scale, CLICK_COLOUR)}</td><td style="${num}">${esc(l.clicks)} ${esc(f.rate(r.clicks))}</td></tr>
</table></td></tr>`,
    )
    .join('\n');
}

const editionRows = (
  d: DigestData,
  language: DigestLanguage,
  l: DigestLabels,
  f: Formats,
  appUrl: string | undefined,
): BarRow[] =>
  d.kind === 'post'
    ? d.editions.map((e) => ({
        label: e.title,
        href: reportLink(d, appUrl, e.id),
        detail: f.counted(l.recipientsCount, e.recipients),
        open: e.openRateHuman,
        clicks: e.clickThroughRateHuman,
      }))
    : d.ranked.slice(0, RANKED_POSTS).map((p, i) => ({
        label: `${i + 1}. ${nameIn(p.post, language)}`,
        open: p.openRateHuman,
        clicks: p.clickThroughRateHuman,
      }));

const trendDetail = (p: TrendPoint, l: DigestLabels, f: Formats) =>
  [
    ...(p.editions === null ? [] : [f.counted(l.editionsCount, p.editions)]),
    f.counted(l.recipientsCount, p.recipients),
  ].join(', ');

const trendRows = (d: DigestData, l: DigestLabels, f: Formats): BarRow[] =>
  d.trend.map((p) => ({
    label: f.monthShort(p.month),
    detail: trendDetail(p, l, f),
    open: p.openRateHuman,
    clicks: p.clickThroughRateHuman,
  }));

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The digest of one post (or the network) in one language. */
export async function digestMail(
  d: DigestData,
  language: DigestLanguage,
  options: DigestMailOptions = {},
): Promise<DigestMail> {
  const l = DIGEST_LABELS[language];
  const f = formats(language);
  const about = aboutOf(d, language, l);
  const month = f.month(d.month);
  const subject = fill(l.subject, { about, month });
  const heading = capitalise(about);
  const lead = fill(d.kind === 'post' ? l.lead : l.leadNetwork, { month });
  const figures = keyFigures(d, l, f);
  const withMedian = figures.some((x) => x.median !== undefined);
  const warningLines = d.warnings.map((w) => warningLine(w, d, language, l, f));
  const warningsIntro = fill(l.warningsIntro, {
    bounce: f.fine(THRESHOLDS.hardBounceRate),
    complaint: f.fine(THRESHOLDS.complaintRate),
    spam: f.fine(THRESHOLDS.spamRate),
  });
  const firstChartTitle = d.kind === 'post' ? fill(l.chartEditions, { month }) : l.chartPosts;
  const leftOut = d.kind === 'network' ? d.ranked.length - RANKED_POSTS : 0;
  const more = leftOut > 0 ? f.counted(l.morePosts, leftOut) : undefined;
  const first = editionRows(d, language, l, f, options.appUrl);
  const trend = trendRows(d, l, f);
  const link = reportLink(d, options.appUrl);
  const owner = d.kind === 'post' ? nameIn(d.post, language) : nameIn(d.hq, language);
  const footer = fill(l.footer, { about: owner });
  const colour = d.kind === 'post' ? d.post.branding.primaryColor : d.hq.branding.primaryColor;

  const th = 'padding:6px 8px;border-bottom:2px solid #cccccc;font-size:13px;color:#1a1a1a;';
  const td = 'padding:6px 8px;border-bottom:1px solid #e5e5e5;font-size:14px;color:#1a1a1a;';
  const figureTable = `<mj-table cellpadding="0" cellspacing="0" width="100%">
<tr><th align="left" style="${th}">${esc(l.figure)}</th><th align="right" style="${th}">${esc(l.value)}</th>${
    withMedian ? `<th align="right" style="${th}">${esc(l.networkMedian)}</th>` : ''
  }</tr>
${figures
  .map(
    (x) =>
      `<tr><td style="${td}">${esc(x.label)}</td><td align="right" style="${td}white-space:nowrap;">${esc(x.value)}</td>${
        withMedian ? `<td align="right" style="${td}white-space:nowrap;">${esc(x.median ?? '')}</td>` : ''
      }</tr>`,
  )
  .join('\n')}
</mj-table>`;
  const h2 = (text: string) =>
    `<mj-text font-size="17px" font-weight="bold" padding-top="24px" padding-bottom="4px">${esc(text)}</mj-text>`;
  const chart = (title: string, rows: readonly BarRow[], empty: string) =>
    `${h2(title)}\n${
      rows.length
        ? `<mj-table cellpadding="0" cellspacing="0" width="100%">\n${barChart(rows, l, f)}\n</mj-table>`
        : `<mj-text>${esc(empty)}</mj-text>`
    }`;
  const warningsBlock = warningLines.length
    ? `<mj-section padding="0 0 8px"><mj-column border-left="6px solid ${WARN_COLOUR}" background-color="#fdecee" padding="8px 12px">
<mj-text font-size="17px" font-weight="bold" color="${WARN_COLOUR}">${esc(l.warningsTitle)}</mj-text>
<mj-text>${esc(warningsIntro)}</mj-text>
<mj-text><ul style="margin:0;padding-left:20px;">${warningLines.map((w) => `<li style="margin:0 0 4px;">${esc(w)}</li>`).join('')}</ul></mj-text>
</mj-column></mj-section>`
    : '';

  const mjml = `<mjml lang="${language}">
<mj-head>
<mj-title>${esc(subject)}</mj-title>
<mj-attributes>
<mj-all font-family="Arial, Helvetica, sans-serif"></mj-all>
<mj-text font-size="14px" line-height="20px" color="#1a1a1a" padding="4px 24px"></mj-text>
<mj-table padding="4px 24px" font-size="14px" color="#1a1a1a"></mj-table>
</mj-attributes>
</mj-head>
<mj-body background-color="#f2f2f2" width="640px">
<mj-section background-color="#ffffff" border-top="6px solid ${colour}" padding="20px 0 8px">
<mj-column>
<mj-text font-size="22px" line-height="28px" font-weight="bold">${esc(heading)}</mj-text>
<mj-text color="#333333">${esc(lead)}</mj-text>
</mj-column>
</mj-section>
<mj-wrapper background-color="#ffffff" padding="8px 0 24px">
${warningsBlock}
<mj-section padding="0"><mj-column>
${h2(l.keyFigures)}
${figureTable}
${chart(firstChartTitle, first, fill(l.noEditions, { month }))}
${more ? `<mj-text color="#555555">${esc(more)}</mj-text>` : ''}
${chart(l.chartTrend, trend, '')}
${link ? `<mj-button href="${esc(link)}" background-color="${OPEN_COLOUR}" color="#ffffff" font-size="15px" align="left" padding="24px 24px 8px">${esc(l.link)}</mj-button>` : ''}
</mj-column></mj-section>
</mj-wrapper>
<mj-section padding="16px 0"><mj-column>
<mj-text font-size="12px" line-height="17px" color="#555555">${esc(footer)}</mj-text>
</mj-column></mj-section>
</mj-body>
</mjml>`;
  // Loaded on the first digest, as for newsletters (render-variant.ts): about 0.5 s.
  const { default: mjml2html } = await import('mjml');
  const result = await mjml2html(mjml, { validationLevel: 'strict', keepComments: false });

  const text = [
    heading,
    lead,
    ...(warningLines.length
      ? ['', l.warningsTitle.toUpperCase(), warningsIntro, ...warningLines.map((w) => `- ${w}`)]
      : []),
    '',
    l.keyFigures,
    ...figures.map(
      (x) =>
        `- ${x.label}${l.colon}${x.value}${x.median ? ` (${l.networkMedian}${l.colon}${x.median})` : ''}`,
    ),
    '',
    firstChartTitle,
    ...(first.length
      ? first.map(
          (r) =>
            `- ${r.label}${r.detail ? ` (${r.detail})` : ''}${l.colon}${l.open} ${f.rate(r.open)}, ${l.clicks} ${f.rate(r.clicks)}`,
        )
      : [fill(l.noEditions, { month })]),
    ...(more ? [more] : []),
    '',
    l.chartTrend,
    ...trend.map(
      (r) =>
        `- ${r.label} (${r.detail})${l.colon}${l.open} ${f.rate(r.open)}, ${l.clicks} ${f.rate(r.clicks)}`,
    ),
    ...(link ? ['', `${l.link}${l.colon}${link}`] : []),
    '',
    '-- ',
    footer,
  ];
  return { subject, html: result.html, text: `${text.join('\n')}\n` };
}
