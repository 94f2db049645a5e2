import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { launchChromium } from '../helpers/browser';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startSeededStack(20);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('a seeded edition in a real browser', () => {
  it("shows the post's branding, the items and the footer links", async () => {
    const edition = (await stack.ctx.repos.editions.listByPost('kinshasa')).items[0];
    const page = await browser.newPage({ viewport: { width: 700, height: 1200 } });
    await page.setExtraHTTPHeaders(
      bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'kinshasa' }])),
    );
    const res = await page.goto(
      `${stack.urls.api}/posts/kinshasa/editions/${edition?.id}/preview?audience=consular&lang=fr`,
    );
    expect(res?.status()).toBe(200);

    const header = page.locator('.brand-header').first();
    // Runs in the page; the project compiles without the DOM library, hence the narrow type.
    const background = (el: unknown) =>
      (
        globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
      ).getComputedStyle(el).backgroundColor;
    await expect.poll(() => header.evaluate(background)).toBe('rgb(122, 31, 43)'); // #7a1f2b
    expect((await page.locator('.post-name').first().textContent())?.trim()).toBe(
      'Ambassade de Belgique en République démocratique du Congo',
    );
    for (const title of [
      'Vos démarches consulaires en ligne',
      'Hergé, le père de Tintin',
      'Festival Europalia 2026',
      'Horaires des fêtes',
    ]) {
      expect(await page.getByText(title).first().isVisible(), title).toBe(true);
    }
    for (const [label, href] of [
      ['Voir dans le navigateur', '#web-version'],
      ['Gérer mes préférences', '#preferences'],
      ['Se désabonner', '#unsubscribe'],
    ]) {
      const link = page.getByRole('link', { name: label ?? '' });
      expect(await link.getAttribute('href'), label).toBe(href);
      expect(await link.isVisible(), label).toBe(true);
    }
    const shot = join(
      process.env.MISSIVE_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'missive-e2e-'))),
      'kinshasa.png',
    );
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(20_000);
    await page.close();
  });
});
