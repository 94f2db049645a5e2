import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Browser tests need Chromium, which a fresh machine does not have: they run with
    // `npm run test:e2e` (vitest.e2e.config.ts), after .ci/run installs it.
    exclude: [...configDefaults.exclude, 'tests/e2e/**'],
    // Integration tests start real servers (dynalite, aws-ses-v2-local) on free ports.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['functions/local/node-warnings.ts'],
  },
});
