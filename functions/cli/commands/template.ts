import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type mjml2html from 'mjml';
import { NotFoundError, ValidationError } from '../../core/errors';
import { HQ_POST } from '../../core/model';
import { registerLayout } from '../../rendering/register-layout';
import { loadTemplates } from '../../rendering/templates';
import { parseActorId } from '../args';
import { cliContext } from '../context';
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
  // Loaded when a template is checked, not by every CLI command.
  const { default: render } = await import('mjml');
  try {
    result = await render(source, { validationLevel: 'soft', filePath: file, ignoreIncludes: true });
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
    .command('add')
    .description(
      'register a layout for editions (Handlebars + MJML, like templates/layouts/default.mjml.hbs), after checking it',
    )
    .argument('<name>', 'layout name, e.g. focus-2027')
    .requiredOption('--file <path>', 'the layout file')
    .option('--as <id>', 'who registers it (audit)', parseActorId)
    .option('--json', 'print JSON', false)
    .action(async (name: string, opts) => {
      let source: string;
      try {
        source = await readFile(opts.file, 'utf8');
      } catch (error) {
        throw new ValidationError(
          `cannot read ${opts.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
        );
      }
      const ctx = cliContext();
      const sample = await ctx.repos.posts.get(HQ_POST);
      if (!sample)
        throw new NotFoundError('no headquarters post (hq) to check the layout with: run `missive seed`');
      const layout = await registerLayout(
        { layouts: ctx.repos.layouts, templates: loadTemplates(ctx.settings.templatesDir), clock: ctx.clock },
        opts.as ?? `cli:${userInfo().username}`,
        sample,
        name,
        source,
      );
      if (opts.json) return printJson({ layout: { name: layout.name, at: layout.at } });
      process.stdout.write(
        `registered layout "${layout.name}": editions use it with "layout": "${layout.name}"\n`,
      );
    });
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
