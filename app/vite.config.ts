import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The staff web app: built into dist/app, which the local stack serves at /app. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
