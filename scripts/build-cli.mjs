#!/usr/bin/env node
/**
 * Compiles the CLI into dist/ (npm install's `prepare` step; `npm run build:cli`), so
 * `missive` starts without compiling TypeScript at run time (tsx). bin/missive.js runs
 * dist/ only while no file it was built from (dist/cli.inputs.json) changed since the build,
 * else the sources through tsx: an edit is never run stale.
 *
 * Packages stay external (node_modules is next to dist/). Modules that find files
 * from their own location (templates/, the project root) see the URL of a file two
 * levels down, as in functions/<folder>/, so they resolve the same paths.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without dev dependencies: the CLI runs from its sources (tsx).
  process.stderr.write('build-cli: esbuild not installed; the CLI will run from its TypeScript sources\n');
  process.exit(0);
}

mkdirSync(out, { recursive: true });
// Files changed after this instant may not be in the build: bin/missive.js then runs the sources.
const startedAt = Date.now();
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { cli: 'functions/cli/main.ts', 'node-warnings': 'functions/local/node-warnings.ts' },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  define: { 'import.meta.url': '__missiveModuleUrl' },
  banner: { js: "const __missiveModuleUrl = new URL('../functions/cli/main.js', import.meta.url).href;" },
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).map((file) => relative(root, join(root, file)));
writeFileSync(join(out, 'cli.inputs.json'), `${JSON.stringify({ startedAt, inputs })}\n`);
