import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppStack } from '../helpers/browser';

/**
 * HQ's side of the web app (issue 22): the on-the-record rule (a post's own wording of a
 * central story, and the difference HQ sees) and the network broadcast composer.
 */
const env = useAppStack('missive-e2e-app-hq-');

const OUR_WORDS = 'as seen from Tokyo';
const BROADCAST = 'Focus on Belgium: network broadcast test';
let story = '';
let hqTitle = '';

/** The stories chosen in the composer, by their shown title. */
const chosenTitles = (page: Page) => page.locator('.chosen li > span:first-child').allTextContents();

describe("HQ's pages in a real browser", () => {
  it('a Tokyo editor puts a central story in the post’s own words and saves', async () => {
    const page = await env.app.context.newPage();
    await env.app.signIn(page, 'Aiko Tanaka');
    await page.getByRole('link', { name: 'New edition' }).click();
    await page.getByRole('heading', { name: 'Compose' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill('Tokyo, in our words');
    await page.locator('.results button').first().waitFor();
    hqTitle = (await page.locator('.results li strong').first().textContent()) ?? '';
    await page.locator('.results button').first().click();
    await expect.poll(() => chosenTitles(page)).toEqual([hqTitle]);
    story = (await page.locator('.chosen li[data-story]').first().getAttribute('data-story')) ?? '';
    expect(story).toContain('{lang}');

    // The English variant starts from HQ's words; the editor adds theirs to the title.
    await page.getByLabel('Use our wording').check();
    const ourTitle = page.getByLabel('Our title');
    expect(await ourTitle.inputValue()).toBe(hqTitle);
    await ourTitle.fill(`${hqTitle} ${OUR_WORDS}`);
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.frameLocator('iframe.preview').getByText(`${hqTitle} ${OUR_WORDS}`).first().waitFor();
    await env.app.checkAccessibility(page, 'compose-our-wording');
    await page.close();
  });

  it("HQ's editor sees the difference from HQ's text in the central content browser", async () => {
    const page = await env.app.context.newPage();
    await env.app.signIn(page, 'Lotte Peeters');
    await page.getByRole('heading', { name: 'Central content' }).waitFor();
    const cell = page.locator(`tr[data-story="${story}"] td[data-wording]`);
    const change = cell.locator('li[data-post="tokyo"][data-lang="en"]');
    await change.waitFor();
    expect(await change.textContent()).toContain('Tokyo, in our words');
    // The words Tokyo added, marked as inserted; nothing of HQ's title deleted.
    expect((await change.locator('ins').allTextContents()).join('').trim()).toBe(OUR_WORDS);
    expect(await change.locator('del').count()).toBe(0);
    // The summary was left as HQ wrote it: no difference shown for it.
    expect(await change.textContent()).not.toContain('summary:');
    await env.app.checkAccessibility(page, 'content-wording');
    await page.close();
  });

  it("HQ's editor composes a network broadcast and submits it; the spokesperson approves; HQ sends it and watches it", async () => {
    const page = await env.app.context.newPage();
    await env.app.signIn(page, 'Lotte Peeters');
    await page.getByRole('heading', { name: 'Central content' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Network broadcasts' }).click();
    await page.getByRole('heading', { name: 'Network broadcasts' }).waitFor();
    await page.getByRole('link', { name: 'New broadcast' }).waitFor();
    await env.app.checkAccessibility(page, 'broadcasts');
    await page.getByRole('link', { name: 'New broadcast' }).click();
    await page.getByRole('heading', { name: 'Compose a network broadcast' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill(BROADCAST);
    await page.locator('.results button').first().waitFor();
    await page.locator('.results button').first().click();
    await page.getByLabel('Introduction').fill('News from Belgium for the whole network.');
    await page.frameLocator('iframe.preview').getByText('News from Belgium for the whole network.').waitFor();
    await env.app.checkAccessibility(page, 'broadcast-compose');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByRole('heading', { name: BROADCAST }).waitFor();
    await page.locator('#edition-status .badge', { hasText: 'In review' }).waitFor();
    const id = new URL(page.url()).hash.split('/')[2]?.split('?')[0] ?? '';
    const stored = await env.stack.ctx.repos.editions.get(id);
    expect(stored?.post).toBe('hq');
    expect(stored?.variants.map((v) => `${v.audience}/${v.language}`)).toEqual([
      'network/fr',
      'network/nl',
      'network/en',
    ]);
    await env.app.checkAccessibility(page, 'broadcast-submitted');

    // The spokesperson finds it in the network's review queue and approves it.
    await env.app.signIn(page, 'Julien Dubois');
    await page.getByRole('heading', { name: 'Crisis alert' }).waitFor();
    await page.getByRole('link', { name: 'Review' }).click();
    await page.getByRole('link', { name: BROADCAST }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('#edition-status .badge', { hasText: 'Approved' }).waitFor();

    // HQ's editor sends it from the broadcast list and watches it to the end.
    await env.app.signIn(page, 'Lotte Peeters');
    await page.getByRole('heading', { name: 'Central content' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Network broadcasts' }).click();
    await page.getByRole('link', { name: BROADCAST }).click();
    await page.getByRole('button', { name: 'Send now' }).click();
    await page.locator('dl.progress[data-done="true"]').waitFor({ timeout: 90_000 });
    const figures = (await page.locator('dl.progress').textContent()) ?? '';
    expect(Number(await page.locator('dd[data-figure="Sent"]').textContent()), figures).toBeGreaterThan(0);
    await page.locator('#edition-status .badge', { hasText: 'Sent' }).waitFor();
    await env.app.checkAccessibility(page, 'broadcast-sent');
    await page.close();
  }, 150_000);
});
