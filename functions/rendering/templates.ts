import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Language } from '../core/model';

/**
 * The MJML templates of templates/: one layout per file in layouts/, one partial per
 * block type in partials/, labels per language in labels/. Compiled once per
 * process with an isolated Handlebars instance, which escapes every {{value}}:
 * nothing a person typed can become HTML or MJML markup.
 */

export type Labels = Record<string, string>;

export interface TemplateSet {
  readonly layouts: ReadonlyMap<string, Handlebars.TemplateDelegate>;
  readonly blocks: ReadonlyMap<string, Handlebars.TemplateDelegate>;
  readonly labels: ReadonlyMap<Language, Labels>;
}

const sets = new Map<string, TemplateSet>();

const strip = (name: string, suffix: string) => name.slice(0, -suffix.length);

export function loadTemplates(dir: string): TemplateSet {
  const cached = sets.get(dir);
  if (cached) return cached;
  const hbs = Handlebars.create();
  const compile = (file: string) => hbs.compile(readFileSync(file, 'utf8'));
  const layouts = new Map<string, Handlebars.TemplateDelegate>();
  for (const f of readdirSync(join(dir, 'layouts')).filter((f) => f.endsWith('.mjml.hbs'))) {
    layouts.set(strip(f, '.mjml.hbs'), compile(join(dir, 'layouts', f)));
  }
  const blocks = new Map<string, Handlebars.TemplateDelegate>();
  for (const f of readdirSync(join(dir, 'partials')).filter((f) => f.endsWith('.mjml.hbs'))) {
    blocks.set(strip(f, '.mjml.hbs'), compile(join(dir, 'partials', f)));
  }
  const labels = new Map<Language, Labels>();
  for (const f of readdirSync(join(dir, 'labels')).filter((f) => f.endsWith('.json'))) {
    labels.set(
      strip(f, '.json') as Language,
      JSON.parse(readFileSync(join(dir, 'labels', f), 'utf8')) as Labels,
    );
  }
  const set = { layouts, blocks, labels };
  sets.set(dir, set);
  return set;
}

/** Compiles a layout given as text (HQ's own layouts), with the same escaping rules. */
export function compileLayout(source: string): Handlebars.TemplateDelegate {
  return Handlebars.create().compile(source);
}
