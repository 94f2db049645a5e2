import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ValidationError } from '../../core/errors';
import { parseEventFile } from '../../engagement/event-file';
import { recordSesEvents } from '../../engagement/ses-events';
import { cliContext } from '../context';
import { printJson } from '../output';

/** Files past this size are refused: a replay is for a few days of events, not an archive. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

async function readEventFile(file: string): Promise<string> {
  try {
    const buffer = await readFile(file);
    if (buffer.length > MAX_FILE_BYTES) throw new ValidationError(`${file}: over ${MAX_FILE_BYTES} bytes`);
    return buffer.toString('utf8');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'error');
    throw new ValidationError(`cannot read ${file}: ${why}`);
  }
}

export function registerEvents(program: Command): void {
  const events = program.command('events').description('SES events: replay them into the engagement records');
  events
    .command('ingest')
    .description(
      "record SES events from a file through the same function as SES's own (one JSON object, a JSON array, " +
        'or JSON lines; each an SES event or an SNS envelope around one). SNS envelopes are NOT ' +
        'signature-checked: this is a local replay of a file you trust (POST /ses/events verifies them)',
    )
    .requiredOption('--file <path>', 'the file of events')
    .option('--json', 'print the counts as JSON', false)
    .action(async (opts: { file: string; json: boolean }) => {
      // The whole file is checked before anything is recorded: a bad line records nothing.
      const payloads = parseEventFile(await readEventFile(opts.file), opts.file);
      const ctx = cliContext();
      const counts = await recordSesEvents(ctx.engagement, payloads);
      if (opts.json) return printJson({ file: opts.file, events: payloads.length, ...counts });
      const parts = Object.entries(counts).map(([name, n]) => `${name} ${n}`);
      process.stdout.write(`${payloads.length} events from ${opts.file}: ${parts.join(', ')}\n`);
    });
}
