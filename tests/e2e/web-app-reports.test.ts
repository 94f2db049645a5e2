import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import type { Report } from '../../functions/reports/report';
import { type AppBrowser, startAppBrowser } from '../helpers/browser';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/** The post dashboard's lists and the analyst's report pages, in Chromium (issue 22). */
let stack: LocalStack;
let app: AppBrowser;
let context: BrowserContext;

beforeAll(async () => {
  stack = await startSeededStack(20);
  app = await startAppBrowser(stack.urls.api, 'missive-e2e-reports-');
  context = app.context;
}, 180_000);
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const checkAccessibility = (page: Page, name: string) => app.checkAccessibility(page, name);
const signIn = (page: Page, name: string) => app.signIn(page, name);

/** Tokyo's confirmed subscriptions per audience/language, counted from the store's other index. */
async function seededLists(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await stack.ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'confirmed', {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const s of page.items) {
      const key = `${s.audience}/${s.language}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    cursor = page.cursor;
  } while (cursor);
  return out;
}

describe('the dashboard and the report pages in a real browser', () => {
  it("shows a Tokyo editor the lists' sizes as seeded, and their growth", async () => {
    const expected = await seededLists();
    const page = await context.newPage();
    await signIn(page, 'Aiko Tanaka');
    await page.getByRole('heading', { name: /Editions · tokyo/ }).waitFor();
    const grid = page.locator('table[data-table="lists"]');
    await grid.waitFor();
    const tokyo = await stack.ctx.repos.posts.get('tokyo');
    let total = 0;
    for (const a of tokyo?.audiences ?? [])
      for (const l of tokyo?.languages ?? []) {
        const n = expected.get(`${a.id}/${l}`) ?? 0;
        total += n;
        expect(await grid.locator(`td[data-list="${a.id}/${l}"]`).textContent(), `${a.id}/${l}`).toBe(
          String(n),
        );
      }
    expect(total).toBeGreaterThan(0);
    expect(await grid.locator('td[data-list="total"]').textContent()).toBe(String(total));
    await page.locator('table[data-table="list-growth"] tbody tr').nth(11).waitFor();
    await page.getByRole('heading', { name: 'List growth', exact: true }).waitFor();
    await checkAccessibility(page, 'dashboard');
    await page.close();
  }, 120_000);

  it("an analyst filters the network report by region, sees only that region's posts, bookmarks and downloads it", async () => {
    const posts = await stack.ctx.repos.posts.list();
    const region = new Map(posts.map((p) => [p.code, p.continent]));
    // The whole network's posts table, from the API: the filter must keep exactly the Asian ones.
    const whole = (await (
      await fetch(`${stack.urls.api}/reports/network`, {
        headers: bearer(await tokenFor(stack, [{ role: 'analyst' }])),
      })
    ).json()) as Report;
    const everyPost = (whole.tables.find((t) => t.name === 'posts')?.rows ?? []).map((r) => String(r.post));
    const asian = everyPost.filter((c) => region.get(c) === 'asia');
    expect(asian.length).toBeGreaterThan(0);
    expect(asian.length).toBeLessThan(everyPost.length);

    const page = await context.newPage();
    await signIn(page, 'Sofie Janssens');
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.getByLabel('Report on').selectOption('network');
    await page.getByLabel('Region').selectOption('asia');
    await page.getByRole('button', { name: 'Report', exact: true }).click();
    const codes = page.locator('table[data-table="posts"] tbody tr td:nth-child(2)');
    await page.getByRole('heading', { name: 'The network (region Asia)' }).waitFor();
    // In English, the API's own labels and rates with a point.
    expect(
      await page.locator('table[data-table="posts"] th[data-column="openRateHuman"]').textContent(),
    ).toBe('Open rate (human)');
    await page
      .locator('table[data-table="summary"]')
      .getByRole('cell', { name: 'Recipients', exact: true })
      .waitFor();
    expect((await codes.allTextContents()).sort()).toEqual([...asian].sort());
    expect(page.url()).toMatch(/#\/reports\?kind=network&region=asia$/);
    await checkAccessibility(page, 'network-asia');

    // The CSV downloaded is what is shown: Asian posts only.
    const pending = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await pending;
    expect(file.suggestedFilename()).toBe('network.csv');
    const rows = parse(readFileSync((await file.path()) ?? '', 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const inCsv = new Set(rows.filter((r) => r.table === 'posts' && r.column === 'post').map((r) => r.value));
    expect([...inCsv].sort()).toEqual([...asian].sort());

    // The bookmark opens the same report (a reload: the session is the tab's).
    const bookmark = page.url();
    await page.goto(`${stack.urls.api}/app/#/reports`);
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.goto(bookmark);
    await page.reload();
    await page.getByRole('heading', { name: 'The network (region Asia)' }).waitFor();
    expect(await page.getByLabel('Region', { exact: true }).inputValue()).toBe('asia');
    expect((await codes.allTextContents()).sort()).toEqual([...asian].sort());
    await page.close();
  }, 120_000);

  it('shows the post, audience kind and story reports as pages, each checked with axe', async () => {
    const page = await context.newPage();
    await signIn(page, 'Sofie Janssens');
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    const pages: [string, string | RegExp, string][] = [
      ['kind=post&post=tokyo&from=2026-01&to=2026-12', /\(tokyo\)$/, 'list-growth'],
      ['kind=audience&audience=economic', 'Audience kind "economic" across the network', 'months'],
      ['kind=audience&language=fr', 'Language "fr" across the network', 'months'],
      ['kind=story', 'Central stories: leaderboard', 'stories'],
    ];
    for (const [query, title, table] of pages) {
      await page.goto(`${stack.urls.api}/app/#/reports?${query}`);
      await page.getByRole('heading', { level: 2, name: title }).waitFor();
      await page.locator(`table[data-table="${table}"]`).waitFor();
      await checkAccessibility(page, `report-${query.split('&')[0]?.replace('kind=', '')}-${table}`);
    }
    await page.close();
  }, 120_000);

  it('speaks French at phone width on the dashboard and the reports', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${stack.urls.api}/app/#/sign-in`);
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('button', { name: /Aiko Tanaka/ }).click();
    await page.getByRole('heading', { name: /Éditions · tokyo/ }).waitFor();
    await page.getByRole('heading', { name: 'Listes', exact: true }).waitFor();
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await checkAccessibility(page, 'phone-fr-dashboard');
    await page.goto(`${stack.urls.api}/app/#/sign-in`);
    await page.getByRole('button', { name: /Sofie Janssens/ }).click();
    await page.getByRole('heading', { name: 'Rapports' }).waitFor();
    await page.getByLabel('Rapport sur').selectOption('network');
    await page.getByLabel('Région').selectOption('europe');
    // Keyboard: the button, focused, sends the form with Enter.
    await page.getByRole('button', { name: 'Rapport', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.locator('table[data-table="posts"]').waitFor();
    // The focus goes on to the report's title, so the keyboard reads on from there.
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('H2');
    // What the API names in English is in French: a table's title and a column (by their ids),
    // a summary figure, a chart's legend; percentages and numbers written the French way.
    await page.getByRole('heading', { level: 2, name: 'Le réseau (région Europe)' }).waitFor();
    const posts = page.locator('table[data-table="posts"]');
    expect(await posts.locator('caption').textContent()).toBe('Postes classés par taux d’engagement');
    expect(await posts.locator('th[data-column="openRateHuman"]').textContent()).toBe(
      'Taux d’ouverture (humain)',
    );
    const summary = page.locator('table[data-table="summary"]');
    await summary.getByRole('cell', { name: 'Destinataires', exact: true }).waitFor();
    await summary.getByRole('cell', { name: 'Taux de rejet définitif', exact: true }).waitFor();
    const legend = await page.locator('figure[data-chart="months"] li').allTextContents();
    expect(legend, legend.join(' | ')).toContain('Taux d’ouverture (humain)');
    // The notes, worded from the report's remarks, dates and all.
    const notes = await page.locator('p.note').allTextContents();
    expect(
      notes.some((n) => n.startsWith('Portée du siège : ')),
      notes.join(' | '),
    ).toBe(true);
    expect(
      notes.some((n) => n.startsWith('Filtré sur région Europe : ')),
      notes.join(' | '),
    ).toBe(true);
    expect(
      notes.some((n) => /^Taux d’engagement .* de [a-zéû.]+ \d{4} à [a-zéû.]+ \d{4}/.test(n)),
      notes.join(' | '),
    ).toBe(true);
    // The totals stay the whole network's (Europe's posts have sent nothing here).
    const rates = await summary.locator('td').allTextContents();
    // 12,5 % (a narrow no-break space before the sign): a comma, never a point.
    expect(
      rates.some((r) => /^-?\d+,\d\s%$/.test(r)),
      rates.join(' | '),
    ).toBe(true);
    expect(
      rates.some((r) => /\d\.\d/.test(r)),
      rates.join(' | '),
    ).toBe(false);
    // The CSV downloaded is in French too (the page's language, ?lang=fr), its figures raw.
    const pending = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Télécharger en CSV' }).click();
    const csv = readFileSync((await (await pending).path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[0]).toBe('rapport,objet,tableau,ligne,colonne,libellé,valeur');
    const inFrench = parse(csv, { columns: true }) as Record<string, string>[];
    expect(inFrench.some((r) => r.tableau === 'summary' && r.valeur === 'Destinataires')).toBe(true);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await checkAccessibility(page, 'phone-fr-reports');
    await page.getByLabel('Langue', { exact: true }).first().selectOption('en');
    await page.close();
  }, 120_000);
});
