import { CommanderError } from 'commander';
import { MissiveError } from '../core/errors';

/** Plain aligned columns for people; scripts use --json. */
export function formatTable(
  rows: readonly Record<string, string | number>[],
  columns: readonly string[],
): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.toUpperCase())),
    ...rows.map((r) => line(columns.map((c) => String(r[c] ?? '')))),
  ].join('\n');
}

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

/** A progress line that rewrites itself on a terminal and prints sparingly elsewhere. */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastPct = -1;
  return (done: number, total: number) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
      if (done >= total) stream.write('\n');
    } else if (pct >= lastPct + 25 || done >= total) {
      lastPct = pct;
      stream.write(`${label}: ${done}/${total}\n`);
    }
  };
}

/**
 * Turns any error into one line on stderr and an exit code: 2 for a user mistake
 * (bad flag, bad setting, bad file), 1 when the work could not be done. A stack
 * trace is shown only for defects, and only with MISSIVE_DEBUG=1.
 */
export function reportError(error: unknown, env: Record<string, string | undefined> = process.env): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2; // commander printed it
  if (error instanceof MissiveError) {
    process.stderr.write(`missive: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`missive: unexpected error: ${message}\n`);
  if (env.MISSIVE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('missive: run again with MISSIVE_DEBUG=1 to see where it happened\n');
  return 1;
}
