#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a dependency), so `npx missive` works on a fresh clone without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../functions/local/node-warnings.ts');
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
