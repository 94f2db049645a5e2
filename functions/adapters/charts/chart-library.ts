import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let bundle: Promise<string> | undefined;

/** node_modules when run from the sources; vendor/ beside the Lambda bundle (missive-function.ts copies it). */
function bundlePath(): string {
  try {
    // The package exports no path to the UMD bundle: it sits beside the CommonJS entry.
    return join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  } catch {
    return join(dirname(fileURLToPath(import.meta.url)), 'vendor', 'chart.umd.min.js');
  }
}

/**
 * Chart.js's UMD bundle (about 200 KB), read once per process and inlined in every
 * HTML report, so the file opens with no network.
 */
export function chartJsBundle(): Promise<string> {
  bundle ??= readFile(bundlePath(), 'utf8');
  return bundle;
}
