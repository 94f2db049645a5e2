/**
 * npm run bench:coldstart [-- --runs 7 --only reader,send-worker --source-maps]
 *
 * Builds each Lambda's bundle the way CDK does (esbuild with infra/constructs/bundling.ts's
 * options, offline, into a temporary folder) and prints, per function: the bundle's size,
 * its source map's (with --source-maps, as `-c sourceMaps=true` deploys), and the time to
 * import it in a fresh `node` process (the median of --runs), which is what a cold start
 * pays before the handler runs. Targets (issue 21): the public reader routes (reader,
 * unsubscribe) under 1 MB and 100 ms, the send worker under 3 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BUNDLE, entryOf } from '../infra/constructs/bundling';
import { FUNCTION_NAMES } from '../infra/constructs/function-needs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    only: { type: 'string' },
    'source-maps': { type: 'boolean', default: false },
    /** Leave the bundles in place (their folder is printed), e.g. to read the metafiles. */
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const maps = values['source-maps'];
const names = values.only ? values.only.split(',') : [...FUNCTION_NAMES].sort();
const TARGETS: Record<string, { bytes: number; ms?: number }> = {
  reader: { bytes: 1e6, ms: 100 },
  unsubscribe: { bytes: 1e6, ms: 100 },
  'send-worker': { bytes: 3e6 },
};

const dir = mkdtempSync(join(tmpdir(), 'missive-coldstart-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/** Milliseconds to import the bundle in a new process (Node's own start-up excluded). */
function importMs(file: string): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const out = execFileSync(
    process.execPath,
    [...(maps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', code],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
  return Number(out.trim().split('\n').pop());
}

const rows: string[][] = [];
let missed = 0;
for (const name of names) {
  const outfile = join(dir, name, 'index.mjs');
  await build({
    entryPoints: [entryOf(name)],
    bundle: true,
    outfile,
    format: BUNDLE.format,
    target: BUNDLE.target,
    platform: BUNDLE.platform,
    minify: BUNDLE.minify,
    sourcemap: maps,
    external: [...BUNDLE.externalModules],
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    logLevel: 'error',
  });
  const bytes = statSync(outfile).size;
  const mapBytes = maps ? statSync(`${outfile}.map`).size : 0;
  importMs(outfile); // warm the file cache: the first read is the disk's, not the cold start's
  const ms = median(Array.from({ length: RUNS }, () => importMs(outfile)));
  const target = TARGETS[name];
  const ok = !target || (bytes <= target.bytes && (target.ms === undefined || ms <= target.ms));
  if (!ok) missed++;
  rows.push([
    name,
    mb(bytes),
    maps ? mb(mapBytes) : '-',
    `${ms.toFixed(0)} ms`,
    target ? `${mb(target.bytes)}${target.ms ? `, ${target.ms} ms` : ''}: ${ok ? 'met' : 'MISSED'}` : '',
  ]);
  process.stderr.write('.');
}
process.stderr.write('\n');

const header = ['function', 'bundle', 'source map', `import (median of ${RUNS})`, 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (r: string[]) =>
  r
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
console.log(line(header));
for (const r of rows) console.log(line(r));
if (values.keep) console.log(`bundles in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
if (missed) process.exitCode = 1;
