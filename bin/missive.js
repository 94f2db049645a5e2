#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm install`'s prepare step) while no source it was
// built from has changed since; otherwise the TypeScript through tsx (a dependency), so
// `npx missive` works on a fresh clone without a build step and an edit is never run stale.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);

function compiledIsCurrent() {
  try {
    const { startedAt, inputs } = JSON.parse(readFileSync(new URL('dist/cli.inputs.json', root), 'utf8'));
    return inputs.every((file) => statSync(new URL(file, root)).mtimeMs < startedAt);
  } catch {
    return false; // not built, or a source file gone: run the sources
  }
}

const argv = process.argv.slice(2);
if (compiledIsCurrent()) {
  await import('../dist/node-warnings.js');
  const { main } = await import('../dist/cli.js');
  process.exitCode = await main(argv);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../functions/local/node-warnings.ts');
  const { main } = await import('../functions/cli/main.ts');
  process.exitCode = await main(argv);
}
