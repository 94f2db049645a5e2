import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let bundle: Promise<string> | undefined;

/**
 * Chart.js's UMD bundle (about 200 KB), read once per process and inlined in every
 * HTML report, so the file opens with no network. The package exports no path to it:
 * it sits beside the CommonJS entry.
 */
export function chartJsBundle(): Promise<string> {
  bundle ??= readFile(
    join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'),
    'utf8',
  );
  return bundle;
}
