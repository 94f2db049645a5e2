import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { startSeededStack } from './stack';

/** The staff web app's browser tests (tests/e2e/web-app*.test.ts): Chromium, sign-in, axe, screenshots. */

/** Debian's Chromium (apt package chromium); .ci/run installs it. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A reader's browser, not a headless one: the reader routes count headless clients as machines. */
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
/** Generous: the machine running this is busy. */
export const WAIT = 45_000;

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AppBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** Where the screenshots go: $MISSIVE_SCREENSHOTS, or a temporary folder. */
  readonly shots: string;
  /** A screenshot, then axe-core in the page: no serious or critical violation (preview frames aside), and nothing the app's CSP refused so far. */
  checkAccessibility(page: Page, name: string): Promise<void>;
  /** The local sign-in page (checked with axe), then the demo person whose button names them. */
  signIn(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, for every browser test (the app's, the preview's, the reports' HTML). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Builds the app as `npm start` serves it (dist/app) and opens Chromium on it. */
export async function startAppBrowser(apiUrl: string, shotsPrefix: string): Promise<AppBrowser> {
  const browser = await launchChromium();
  execFileSync('npx', ['vite', 'build', '--config', 'app/vite.config.ts'], { stdio: 'ignore' });
  const shots = process.env.MISSIVE_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), shotsPrefix)));
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    userAgent: USER_AGENT,
  });
  context.setDefaultTimeout(WAIT);
  const visited: string[] = [];
  // The local server sends the app's CloudFront policy: whatever it refuses fails the page's check.
  const cspViolations: string[] = [];
  context.on('page', (page) =>
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
    }),
  );

  const checkAccessibility = async (page: Page, name: string): Promise<void> => {
    await page.screenshot({
      path: join(shots, `${String(visited.length + 1).padStart(2, '0')}-${name}.png`),
    });
    visited.push(name);
    // Evaluated through the DevTools protocol, which the page's policy does not govern (a script tag it would).
    if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as { axe: { run(ctx: unknown): Promise<{ violations: Violation[] }> } }
      ).axe;
      interface Violation {
        id: string;
        impact: string | null;
        nodes: { target: unknown }[];
      }
      const r = await axe.run({ exclude: [['iframe']] });
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
    expect(violations, `${name}: axe`).toEqual([]);
    expect(cspViolations, `${name}: Content-Security-Policy`).toEqual([]);
  };

  const signIn = async (page: Page, name: string): Promise<void> => {
    await page.goto(`${apiUrl}/app/#/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkAccessibility(page, `sign-in-${name.split(' ')[0]}`);
    await page.getByRole('button', { name: new RegExp(name) }).click();
  };

  return { browser, context, shots, checkAccessibility, signIn, close: () => browser.close() };
}

/**
 * For one test file: a seeded local stack and the app's browser on it, started before
 * its tests and stopped after (read `stack` and `app` inside the tests).
 */
export function useAppStack(shotsPrefix: string): { readonly stack: LocalStack; readonly app: AppBrowser } {
  const state = {} as { stack: LocalStack; app: AppBrowser };
  beforeAll(async () => {
    state.stack = await startSeededStack(20);
    state.app = await startAppBrowser(state.stack.urls.api, shotsPrefix);
  }, 180_000);
  afterAll(async () => {
    await state.app?.close();
    await state.stack?.stop();
  });
  return state;
}
