import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useAppStack, WAIT } from '../helpers/browser';
import { tokyoEdition } from '../helpers/edition';
import { bearer, tokenFor } from '../helpers/stack';

const env = useAppStack('missive-e2e-app-');

const checkAccessibility = (page: Page, name: string) => env.app.checkAccessibility(page, name);
const signIn = (page: Page, name: string) => env.app.signIn(page, name);

let editionId = '';
const TITLE = 'Tokyo web app test edition';

describe('the staff web app in a real browser', () => {
  it('loads under 150 KB of JavaScript, gzipped', () => {
    const dir = join('dist', 'app', 'assets');
    const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const total = js.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).length, 0);
    expect(js.length).toBeGreaterThan(0);
    expect(total).toBeLessThan(150 * 1024);
  });

  it('a Tokyo editor composes an edition from central items, previews it and submits it', async () => {
    const page = await env.app.context.newPage();
    await signIn(page, 'Aiko Tanaka');
    await page.getByRole('heading', { name: /Editions · tokyo/ }).waitFor();
    await checkAccessibility(page, 'editions');
    await page.getByRole('link', { name: 'New edition' }).click();
    await page.getByRole('heading', { name: 'Compose' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    // The search lists the newest central items of the language: add two, then put the second first.
    const adds = page.locator('.results button');
    await adds.first().waitFor();
    const firstTitle = (await page.locator('.results li strong').nth(0).textContent()) ?? '';
    const secondTitle = (await page.locator('.results li strong').nth(1).textContent()) ?? '';
    await adds.nth(0).click();
    await adds.nth(1).click();
    // The search narrows by kind (and dates): events only, then back to every kind.
    await page.getByLabel('Kind').selectOption('event');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect
      .poll(async () => {
        const rows = await page.locator('.results li span').allTextContents();
        return rows.length > 0 && rows.every((r) => r.includes(' · event · '));
      })
      .toBe(true);
    await page.getByLabel('Kind').selectOption('');
    await page.getByRole('button', { name: `Move up: ${secondTitle}` }).click();
    await expect
      .poll(() => page.locator('.chosen li > span:first-child').allTextContents())
      .toEqual([secondTitle, firstTitle]);
    // Dragged back with the mouse, then moved again from the keyboard (Alt+Up on the focused story).
    await page.locator(`.chosen li[data-story]`).nth(1).dragTo(page.locator('.chosen li[data-story]').nth(0));
    await expect
      .poll(() => page.locator('.chosen li > span:first-child').allTextContents())
      .toEqual([firstTitle, secondTitle]);
    await page.locator('.chosen li[data-story]').nth(1).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect
      .poll(() => page.locator('.chosen li > span:first-child').allTextContents())
      .toEqual([secondTitle, firstTitle]);
    // A render error is shown on the field it is about.
    await page
      .getByLabel('Introduction')
      .fill(Array.from({ length: 61 }, (_, i) => `Paragraph ${i}.`).join('\n\n'));
    await page.locator('#field-error', { hasText: 'at most 60 paragraphs' }).waitFor();
    expect(await page.getByLabel('Introduction').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Introduction').fill('Dear readers, two stories from Belgium this month.');
    // The live preview: saved and rendered once typing pauses, showing the intro just typed.
    const preview = page.frameLocator('iframe.preview');
    await preview.getByText('Dear readers, two stories from Belgium this month.').waitFor();
    await preview.getByText(secondTitle).first().waitFor();
    await page.locator('#field-error').waitFor({ state: 'detached' });
    await checkAccessibility(page, 'compose');
    // A test of the variant shown, to oneself: it arrives through the local SES.
    await page.getByLabel('Test send to').fill('aiko.tanaka@diplomatie.example');
    await page.getByRole('button', { name: 'Send a test of this variant' }).click();
    await page.getByText('Test sent to aiko.tanaka@diplomatie.example').waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await page.getByText('In review').first().waitFor();
    editionId = new URL(page.url()).hash.split('/')[2] ?? '';
    expect(editionId).toMatch(/^ed_/);
    await checkAccessibility(page, 'submitted');
    await page.close();
  });

  it('the Tokyo approver sends it back with a comment; the editor sees it and submits again; the approver approves', async () => {
    const page = await env.app.context.newPage();
    await signIn(page, 'Kenji Mori');
    await page.getByRole('heading', { name: /Review · tokyo/ }).waitFor();
    await checkAccessibility(page, 'review-queue');
    await page.getByRole('link', { name: TITLE }).click();
    // Every audience × language variant rendered side by side, each in its language.
    await expect.poll(() => page.locator('iframe.preview').count()).toBe(9);
    await page
      .frameLocator('iframe[data-variant="consular/nl"]')
      .getByText('Ambassade van België in Japan')
      .first()
      .waitFor();
    await page.getByLabel('Comment for the editors').fill('Please say which month in the introduction.');
    await checkAccessibility(page, 'review');
    await page.getByRole('button', { name: 'Send back' }).click();
    await page.locator('.badge', { hasText: 'Draft' }).waitFor();
    await page.getByText('Please say which month in the introduction.').waitFor();

    await signIn(page, 'Aiko Tanaka');
    await page.getByRole('heading', { name: /Editions/ }).waitFor();
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: 'Review comments' }).waitFor();
    await page.getByText('Please say which month in the introduction.').waitFor();
    await page.getByLabel('Introduction').fill('Dear readers, two stories from Belgium this November.');
    await page.frameLocator('iframe.preview').getByText('this November.').waitFor();
    await checkAccessibility(page, 'compose-again');
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('In review').first().waitFor();

    await signIn(page, 'Kenji Mori');
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.badge', { hasText: 'Approved' }).waitFor();
    await checkAccessibility(page, 'approved');
    expect((await env.stack.ctx.repos.editions.get(editionId))?.status).toBe('approved');
    await page.close();
  }, 120_000);

  it('the editor sends it and watches the progress to the end', async () => {
    const page = await env.app.context.newPage();
    await signIn(page, 'Aiko Tanaka');
    await page.getByRole('heading', { name: /Editions/ }).waitFor();
    await page.goto(`${env.stack.urls.api}/app/#/edition/${editionId}`);
    await page.getByRole('button', { name: 'Send now' }).click();
    await page.getByRole('heading', { name: 'Progress' }).waitFor();
    await page.locator('dl.progress[data-done="true"]').waitFor({ timeout: 90_000 });
    const sent = Number(await page.locator('dd[data-figure="Sent"]').textContent());
    expect(sent).toBeGreaterThan(0);
    await page.locator('#edition-status .badge', { hasText: 'Sent' }).waitFor();
    await checkAccessibility(page, 'progress');
    await page.close();
  }, 120_000);

  it("a reader's click on a link of the received message shows in the analyst's edition report", async () => {
    await env.stack.ses.settled();
    // The received message, from the local SES gate's outbox: opened in the browser, its first tracked link clicked.
    let html = '';
    for (const id of env.stack.ctx.outbox?.ids() ?? []) {
      const mail = await simpleParser((await env.stack.ctx.outbox?.get(id)) ?? Buffer.from(''));
      if (mail.subject === TITLE && /\/r\/[^"]+\/\d+"/.test(String(mail.html))) {
        html = String(mail.html);
        break;
      }
    }
    expect(html).not.toBe('');
    const reader = await env.app.context.newPage();
    await reader.setContent(html);
    const tracked = reader.locator('a[href*="/r/"]').first();
    // The redirect leads to HQ's site, which this machine cannot reach: the tracked link's answer is what counts.
    // (An email's links open a new tab: the answer is awaited on the whole context.)
    const redirect = env.app.context.waitForEvent('response', (r) => /\/r\/[^/]+\/\d+$/.test(r.url()));
    await tracked.click({ noWaitAfter: true });
    const answer = await redirect;
    expect(answer.status()).toBeGreaterThanOrEqual(300);
    expect(answer.status()).toBeLessThan(400);
    for (const p of env.app.context.pages()) if (p !== reader) await p.close();
    await reader.close();
    await env.stack.ses.settled();

    const page = await env.app.context.newPage();
    await signIn(page, 'Sofie Janssens');
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.goto(`${env.stack.urls.api}/app/#/reports?post=tokyo&edition=${editionId}`);
    const clicks = page.locator('table[data-table="links"] tbody tr td:nth-child(3)');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Report', exact: true }).click();
          await page.locator('table[data-table="links"]').waitFor();
          return Number((await clicks.first().textContent()) ?? 0);
        },
        { timeout: WAIT, interval: 1000 },
      )
      .toBeGreaterThanOrEqual(1);
    await checkAccessibility(page, 'report');
    // The edition's report as CSV, as downloaded.
    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await csv;
    expect(file.suggestedFilename()).toBe(`${editionId}.csv`);
    expect(readFileSync((await file.path()) ?? '', 'utf8')).toMatch(
      /^report,subject,table,row,column,label,value/,
    );
    // The network's report over a period: the same page, other tables.
    await page.getByLabel('Report on').selectOption('network');
    expect(await page.getByLabel('Edition', { exact: true }).isVisible()).toBe(false);
    await page.getByLabel('From (month)').fill('2026-01');
    await page.getByLabel('To (month)').fill('2026-12');
    await page.getByRole('button', { name: 'Report', exact: true }).click();
    await page.getByRole('heading', { name: 'The network' }).waitFor();
    await page.locator('table[data-table="posts"]').waitFor();
    await checkAccessibility(page, 'network-report');
    await page.close();
  }, 120_000);

  it('the spokesperson sends a crisis alert to Tokyo and watches its delivery', async () => {
    const page = await env.app.context.newPage();
    await signIn(page, 'Julien Dubois');
    await page.getByRole('heading', { name: 'Crisis alert' }).waitFor();
    await page.getByLabel('Embassy of Belgium in Japan').check();
    await page.getByLabel('Subject').fill('Typhoon warning');
    await page.getByLabel('Message').fill('Stay indoors; the embassy is reachable by phone.');
    await checkAccessibility(page, 'crisis');
    await page.getByRole('button', { name: 'Send the alert' }).click();
    await page.getByText(/Alert queued: \d+ recipients/).waitFor();
    // Its delivery, watched until the alert is sent.
    await page.locator('dl.progress[data-post="tokyo"][data-done="true"]').waitFor({ timeout: 90_000 });
    await checkAccessibility(page, 'crisis-sent');
    // The spokesperson's review queue spans the network.
    await page.getByRole('link', { name: 'Review' }).click();
    await page.getByRole('heading', { name: 'Review', exact: true }).waitFor();
    await checkAccessibility(page, 'network-review-queue');
    await page.close();
  }, 120_000);

  it("HQ's editor sees which languages each central story exists in", async () => {
    const page = await env.app.context.newPage();
    await signIn(page, 'Lotte Peeters');
    await page.getByRole('heading', { name: 'Central content' }).waitFor();
    const row = page.locator('tr[data-story="focus-bruegel-{lang}"]');
    await row.waitFor();
    for (const l of ['en', 'fr', 'nl'])
      expect(await row.locator(`td[data-lang="${l}"]`).textContent(), l).toContain('translated');
    await checkAccessibility(page, 'content');
    await page.close();
  });

  it('speaks French and Dutch, and fits a phone', async () => {
    const page = await env.app.context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${env.stack.urls.api}/app/#/sign-in`);
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByLabel('Langue').selectOption('nl');
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
    // Nothing wider than the phone's screen.
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await checkAccessibility(page, 'phone-nl');
    // The composer too, at phone width.
    await page.getByLabel('Taal').selectOption('en');
    await page.getByRole('button', { name: /Aiko Tanaka/ }).click();
    await page.getByRole('link', { name: 'New edition' }).click();
    await page.locator('.results button').first().waitFor();
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await checkAccessibility(page, 'phone-compose');
    await page.close();
  });

  it('says politely that a page is not for the person: no form to fail with, no refused request', async () => {
    const crisis = ['#/crisis', 'Crisis alert'] as const;
    const broadcasts = ['#/broadcast', 'Network broadcasts'] as const;
    const newBroadcast = ['#/broadcast/new', 'Compose a network broadcast'] as const;
    const cases: [string, string, (readonly [string, string])[]][] = [
      // A post's editor: no crisis form, no 'no post "hq"' on HQ's broadcasts.
      ['Aiko Tanaka', 'Editions · tokyo', [crisis, broadcasts, newBroadcast]],
      // A network analyst reads reports: not the review queue, central content or the composer.
      [
        'Sofie Janssens',
        'Reports',
        [
          ['#/review', 'Review'],
          ['#/content', 'Central content'],
          newBroadcast,
          crisis,
          ['#/edition/ed_0000000000?post=tokyo', 'Edition'],
        ],
      ],
      // A post's approver: no reports (the menu has none), no composer.
      ['Kenji Mori', 'Review · tokyo', [['#/reports', 'Reports'], ['#/compose/new', 'Compose'], crisis]],
    ];
    for (const [who, home, routes] of cases) {
      const page = await env.app.context.newPage();
      await signIn(page, who);
      await page.getByRole('heading', { name: home }).waitFor();
      await page.waitForLoadState('networkidle');
      const refused: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
      });
      for (const [route, heading] of routes) {
        await page.evaluate(`location.hash = ${JSON.stringify(route)}`);
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        await page.getByText('Your role has no access to this page.').waitFor();
        expect(await page.locator('#main form, #main [role="alert"]').count(), `${who} ${route}`).toBe(0);
        expect(await page.locator('h1').count(), `${who} ${route}`).toBe(1);
      }
      expect(refused, who).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it("wraps a title typed without spaces: the review queue, the edition and HQ's wording page never scroll sideways", async () => {
    const editor = bearer(await tokenFor(env.stack, [{ role: 'post-editor', post: 'tokyo' }]));
    const json = { ...editor, 'content-type': 'application/json' };
    const long = 'W'.repeat(200);
    const variant = (language: string) => ({
      audience: 'economic',
      language,
      title: long,
      subject: 'S'.repeat(150),
      blocks: [
        { type: 'central', story: 'focus-bruegel-{lang}', title: 'T'.repeat(300), summary: 'U'.repeat(500) },
      ],
    });
    const created = await fetch(`${env.stack.urls.api}/posts/tokyo/editions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title: long, variants: ['en', 'fr', 'nl'].map(variant) }),
    });
    const { edition } = (await created.json()) as { edition: { id: string } };
    const submitted = await fetch(`${env.stack.urls.api}/posts/tokyo/editions/${edition.id}/submit`, {
      method: 'POST',
      headers: editor,
    });
    expect(submitted.status).toBe(200);
    const sideways = (page: Page) =>
      page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth');
    for (const width of [1280, 375]) {
      const page = await env.app.context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await signIn(page, 'Kenji Mori');
      await page.getByRole('heading', { name: 'Review · tokyo' }).waitFor();
      await page.getByRole('link', { name: long }).waitFor();
      expect(await sideways(page), `review at ${width}`).toBe(false);
      await page.getByRole('link', { name: long }).click();
      await page.getByRole('heading', { name: long }).waitFor();
      expect(await sideways(page), `edition at ${width}`).toBe(false);
      await signIn(page, 'Lotte Peeters');
      await page
        .locator('tr[data-story="focus-bruegel-{lang}"] .wording-changes ins', { hasText: 'TTTT' })
        .first()
        .waitFor();
      expect(await sideways(page), `content at ${width}`).toBe(false);
      await page.close();
    }
  }, 120_000);

  it('saves a draft whose title is longer than a subject may be, the subjects left empty: the title cut at a word', async () => {
    const page = await env.app.context.newPage();
    await signIn(page, 'Aiko Tanaka');
    await page.getByRole('link', { name: 'New edition' }).click();
    const long = 'A rather long edition title '.repeat(7).trim(); // 195 characters, a subject 150 at most
    await page.getByLabel('Title', { exact: true }).fill(long);
    await page.locator('.results button').first().click();
    await page.getByText('Saved', { exact: true }).waitFor();
    expect(await page.locator('[aria-invalid="true"], [role="alert"]').count()).toBe(0);
    const editor = bearer(await tokenFor(env.stack, [{ role: 'post-editor', post: 'tokyo' }]));
    const list = (await (
      await fetch(`${env.stack.urls.api}/posts/tokyo/editions`, { headers: editor })
    ).json()) as {
      items: { id: string; title: string }[];
    };
    const id = list.items.find((e) => e.title === long)?.id ?? '';
    const { edition } = (await (
      await fetch(`${env.stack.urls.api}/posts/tokyo/editions/${id}`, { headers: editor })
    ).json()) as { edition: { variants: { subject: string }[] } };
    expect(edition.variants.length).toBeGreaterThan(0);
    for (const v of edition.variants) {
      expect(v.subject.length).toBeLessThanOrEqual(150);
      expect(v.subject).toMatch(/^A rather long edition title [A-Za-z ]*[a-z]…$/);
    }
    await page.close();
  });

  it('opens the sign-in page with no console error (no /favicon.ico 404)', async () => {
    const page = await env.app.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
    });
    await page.goto(`${env.stack.urls.api}/app/#/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a network analyst's edition choices come from the post's dashboard: no refused request, nothing audited by opening Reports", async () => {
    const api = env.stack.urls.api;
    const editor = bearer(await tokenFor(env.stack, [{ role: 'post-editor', post: 'tokyo' }]));
    const approver = bearer(await tokenFor(env.stack, [{ role: 'post-approver', post: 'tokyo' }]));
    const item = (await env.stack.ctx.content.content.query({ language: 'en', limit: 1 })).items[0];
    const created = await fetch(`${api}/posts/tokyo/editions`, {
      method: 'POST',
      headers: { ...editor, 'content-type': 'application/json' },
      body: JSON.stringify(tokyoEdition(item?.id ?? '', { title: 'Sent for the analyst' })),
    });
    const { edition } = (await created.json()) as { edition: { id: string } };
    const path = `${api}/posts/tokyo/editions/${edition.id}`;
    await fetch(`${path}/submit`, { method: 'POST', headers: editor });
    await fetch(`${path}/approve`, { method: 'POST', headers: approver });
    expect((await fetch(`${path}/send`, { method: 'POST', headers: editor })).status).toBe(202);
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${path}/progress`, { headers: editor })).json()) as { status: string })
            .status,
        {
          timeout: WAIT,
          interval: 500,
        },
      )
      .toBe('sent');

    const audited = async () =>
      (await env.stack.ctx.audit.list('tokyo', { limit: 100 })).items.filter(
        (a) => a.action === 'report.exported' && a.actor === 'demo-analyst',
      ).length;
    const before = await audited();
    const page = await env.app.context.newPage();
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    await signIn(page, 'Sofie Janssens');
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.locator('select[name="post"]').selectOption('tokyo');
    await page.locator(`select[name="edition"] option[value="${edition.id}"]`).waitFor({ state: 'attached' });
    expect(await page.locator(`select[name="edition"] option[value="${edition.id}"]`).textContent()).toBe(
      'Sent for the analyst',
    );
    await page.waitForLoadState('networkidle');
    expect(refused).toEqual([]);
    expect(await audited()).toBe(before);
    await page.close();
  }, 120_000);
});
