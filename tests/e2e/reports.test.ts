import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edition } from '../../functions/editions/model';
import { hourCounter, postCounter, reportScopes, scopes } from '../../functions/engagement/model';
import { exportReport, type ReportRequest } from '../../functions/reports/export';
import { launchChromium } from '../helpers/browser';
import { startDynalite } from '../helpers/dynalite';
import { post } from '../helpers/fixtures';

let db: Awaited<ReturnType<typeof startDynalite>>;
let browser: Browser;
let dir: string;

const SENT_AT = '2026-06-10T09:00:00.000Z';

beforeAll(async () => {
  dir = process.env.MISSIVE_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'missive-e2e-')));
  db = await startDynalite();
  const { ctx } = db;
  // A small network: three posts with a sent and tracked June, one edition of tokyo's hour by hour.
  for (const [code, continent, rate] of [
    ['tokyo', 'asia', 0.42],
    ['seoul', 'asia', 0.31],
    ['paris', 'europe', 0.25],
  ] as const) {
    await ctx.repos.posts.put(post(code, { continent, name: `Embassy <i>${code}</i>` }));
    const counts = {
      editions: 1,
      sent: 1000,
      delivered: 980,
      uopens: Math.round(rate * 1200),
      uopens_h: Math.round(rate * 980),
      uclicks: 80,
      uclicks_h: 60,
    };
    await ctx.counters.add(
      reportScopes.networkPosts('2026-06'),
      Object.fromEntries(Object.entries(counts).map(([k, v]) => [postCounter(k, code), v])),
    );
    await ctx.counters.add(scopes.networkMonth('2026-06'), counts);
  }
  await ctx.counters.add(scopes.networkMonth('2026-05'), {
    sent: 2500,
    delivered: 2450,
    uopens: 900,
    uopens_h: 700,
  });
  const edition: Edition = {
    id: 'ed-e2e-report',
    post: 'tokyo',
    title: 'June <script>alert(1)</script> news',
    status: 'sent',
    sensitive: false,
    author: 'editor',
    scheduledAt: SENT_AT,
    createdAt: SENT_AT,
    updatedAt: SENT_AT,
    version: 5,
    revision: 1,
    variants: [
      {
        audience: 'economic',
        language: 'en',
        subject: 'News',
        preheader: '',
        intro: '',
        blocks: [{ type: 'local', title: 'T', text: 'Text' }],
      },
      {
        audience: 'economic',
        language: 'fr',
        subject: 'Nouvelles',
        preheader: '',
        intro: '',
        blocks: [{ type: 'local', title: 'T', text: 'Texte' }],
      },
    ],
  };
  await ctx.repos.editions.create(edition);
  await ctx.counters.add(scopes.edition(edition.id), {
    sent: 1000,
    delivered: 980,
    uopens: 420,
    uopens_h: 300,
    uclicks: 80,
    clicks_L0: 50,
    uclicks_L0: 40,
  });
  await ctx.counters.add(scopes.variant(edition.id, 'economic', 'en'), {
    sent: 600,
    delivered: 590,
    uopens_h: 200,
  });
  await ctx.counters.add(scopes.variant(edition.id, 'economic', 'fr'), {
    sent: 400,
    delivered: 390,
    uopens_h: 100,
  });
  const hours: Record<string, number> = {};
  for (let h = 0; h < 7 * 24; h += 3) {
    const at = new Date(Date.parse(SENT_AT) + h * 3_600_000).toISOString();
    hours[hourCounter('opens', at)] = Math.max(1, 60 - h);
    hours[hourCounter('clicks', at)] = Math.max(0, 12 - Math.floor(h / 4));
  }
  await ctx.counters.add(scopes.editionHours(edition.id), hours);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await db?.stop();
});

async function open(name: string, request: ReportRequest) {
  const out = await exportReport(db.ctx.reports, { id: 'e2e', roles: ['admin'] }, request, 'html');
  const file = join(dir, `${name}.html`);
  await writeFile(file, out.body);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests, report: out.report };
}

describe('HTML reports in a real browser', () => {
  for (const [name, request] of [
    ['edition', { kind: 'edition', id: 'ed-e2e-report' }],
    ['network', { kind: 'network', from: '2026-01', to: '2026-06' }],
  ] as const) {
    it(`the ${name} report opens offline, with no console errors, every chart drawn`, async () => {
      const { page, errors, requests, report } = await open(name, request);
      // Each chart's canvas was given to Chart.js, which drew its datasets on it.
      const drawn = page.locator('canvas[data-drawn]');
      await expect.poll(() => drawn.count()).toBe(report.charts.length);
      for (const chart of report.charts) {
        const canvas = page.locator(`#chart-${chart.id}`);
        expect(await canvas.getAttribute('data-drawn')).toBe(String(chart.series.length));
        const box = await canvas.boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
        expect(box?.height ?? 0).toBeGreaterThan(100);
      }
      // The tables are there without the charts: every table, with its rows.
      for (const t of report.tables)
        expect(await page.locator(`#table-${t.name} tbody tr`).count()).toBe(Math.max(1, t.rows.length));
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      await page.screenshot({ path: join(dir, `report-${name}.png`), fullPage: true });
      await page.close();
    });
  }

  it('shows what people typed as text, never as markup', async () => {
    const { page, errors } = await open('edition-escaped', { kind: 'edition', id: 'ed-e2e-report' });
    expect(await page.locator('h1').textContent()).toBe(
      'Edition "June <script>alert(1)</script> news" (tokyo)',
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
