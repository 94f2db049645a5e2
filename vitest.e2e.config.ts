import { defineConfig } from 'vitest/config';

/** Browser tests (Debian's Chromium through playwright-core): `npm run test:e2e`. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['functions/local/node-warnings.ts'],
  },
});
