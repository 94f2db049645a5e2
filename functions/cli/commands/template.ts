import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import mjml2html from 'mjml';
import { ValidationError } from '../../core/errors';
import { printJson } from '../output';

export interface TemplateCheck {
  readonly file: string;
  readonly ok: boolean;
  readonly errors: readonly { line: number; tag: string; message: string }[];
  readonly htmlBytes: number;
}

/** Validates an MJML document strictly and renders it: what HQ's own layouts must pass before use. */
export async function checkTemplate(file: string): Promise<TemplateCheck> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    result = await mjml2html(source, { validationLevel: 'soft', filePath: file, ignoreIncludes: true });
  } catch (error) {
    // Not even parseable as MJML (e.g. no <mjml> root).
    return {
      file,
      ok: false,
      errors: [{ line: 0, tag: '', message: (error as Error).message.trim() }],
      htmlBytes: 0,
    };
  }
  const errors = result.errors.map((e) => ({ line: e.line, tag: e.tagName, message: e.message }));
  return { file, ok: errors.length === 0, errors, htmlBytes: Buffer.byteLength(result.html) };
}

export function registerTemplate(program: Command): void {
  const template = program.command('template').description('MJML layouts');
  template
    .command('check')
    .description('validate and render MJML files; report each error with its line')
    .argument('<files...>', 'MJML files')
    .option('--json', 'print JSON', false)
    .action(async (files: string[], opts) => {
      const results: TemplateCheck[] = [];
      for (const file of files) results.push(await checkTemplate(file));
      if (opts.json) printJson({ results });
      else {
        for (const r of results) {
          if (r.ok) process.stdout.write(`ok      ${r.file} (${r.htmlBytes} bytes of HTML)\n`);
          else
            for (const e of r.errors)
              process.stdout.write(`invalid ${r.file}:${e.line}: ${e.tag ? `${e.tag}: ` : ''}${e.message}\n`);
        }
      }
      if (results.some((r) => !r.ok)) process.exitCode = 2;
    });
}
