#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (a dependency), so `npx missive` works on a fresh clone without a build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns at every run that its 2027 releases will need Node 22. Lambda runs
// nodejs22.x already; on a Node 20 workstation the notice is noise in every command.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) =>
  String(warning).startsWith('NodeVersionSupportWarning') ? undefined : emitWarning.call(process, warning, ...rest);

register();
const { main } = await import('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
