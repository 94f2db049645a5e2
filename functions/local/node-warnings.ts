/**
 * The AWS SDK warns at every run that its 2027 releases will need Node 22. Lambda runs
 * nodejs22.x already; on a Node 20 workstation the notice is noise in every command
 * and test run, so the local entry points drop that one warning (and only that one).
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
