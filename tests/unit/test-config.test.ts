import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';

const ROOT = join(import.meta.dirname, '..', '..');

/** The files a vitest config runs, as vitest itself resolves them. */
async function filesOf(config: string): Promise<string[]> {
  const vitest = await createVitest('test', { config: join(ROOT, config), watch: false, root: ROOT });
  try {
    return (await vitest.globTestSpecifications()).map((s) => s.moduleId);
  } finally {
    await vitest.close();
  }
}

describe('the test commands', () => {
  it('`npm test` runs nothing that needs a browser; `npm run test:e2e` runs the browser tests', async () => {
    // A browser test drives Chromium through playwright-core.
    const browser = (text: string) => /from ['"]playwright/.test(text);
    const unit = await filesOf('vitest.config.ts');
    expect(unit.length).toBeGreaterThan(10);
    for (const file of unit) expect(browser(await readFile(file, 'utf8')), file).toBe(false);
    const e2e = await filesOf('vitest.e2e.config.ts');
    expect(e2e.length).toBeGreaterThan(0);
    for (const file of e2e) expect(browser(await readFile(file, 'utf8')), file).toBe(true);
  });
});
