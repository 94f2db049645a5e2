import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Which folder of functions/ may import which (docs/architecture.md, "Module map").
 * The domain modules own their ports; core/ is the shared kernel; adapters implement
 * ports; the outer layers (handlers, http, local, cli, app.ts) wire it all. A wrong
 * import fails this test, so it fails CI.
 */
const DOMAIN = [
  'core',
  'content',
  'editions',
  'rendering',
  'subscribers',
  'sending',
  'engagement',
  'reports',
];
const RULES: Record<string, readonly string[]> = {
  core: [],
  config: ['core'],
  content: ['core'],
  editions: ['core', 'content'],
  rendering: ['core', 'content', 'editions'],
  subscribers: ['core'],
  engagement: ['core', 'subscribers'],
  reports: ['core', 'content', 'editions', 'subscribers', 'engagement', 'sending'],
  sending: ['core', 'content', 'editions', 'rendering', 'subscribers'],
  seeding: ['core', 'content', 'editions', 'subscribers'],
  adapters: [...DOMAIN, 'config'],
  app: [...DOMAIN, 'config', 'adapters'],
  http: ['core', 'config', 'app'],
  handlers: [...DOMAIN, 'config', 'app', 'http'],
  local: [...DOMAIN, 'config', 'app', 'http', 'handlers', 'adapters', 'seeding'],
  cli: [...DOMAIN, 'config', 'app', 'http', 'handlers', 'adapters', 'seeding', 'local'],
};
/** Composition roots that build adapters themselves. */
const EXCEPTIONS: Record<string, readonly string[]> = { 'handlers/entry.ts': ['adapters'] };

const ROOT = resolve(import.meta.dirname, '..', '..', 'functions');

const folderOf = (file: string) => {
  const first = relative(ROOT, file).split('/')[0] ?? '';
  return first.replace(/\.ts$/, '');
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The relative imports of one file, read by TypeScript's own pre-processor. */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name));
}

/** "from → to: file imports target" for every import the rules do not allow. */
function violations(files: readonly { path: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const { path, text } of files) {
    const from = folderOf(path);
    const allowed = new Set([from, ...(RULES[from] ?? []), ...(EXCEPTIONS[relative(ROOT, path)] ?? [])]);
    for (const target of importsOf(path, text)) {
      if (!target.startsWith(ROOT)) continue;
      const to = folderOf(target);
      if (!allowed.has(to))
        out.push(`${from} → ${to}: ${relative(ROOT, path)} imports ${relative(ROOT, target)}`);
    }
  }
  return out;
}

describe('module boundaries', () => {
  it('every folder of functions/ has a rule', () => {
    const folders = new Set(sources(ROOT).map(folderOf));
    folders.delete('types');
    expect([...folders].filter((f) => !(f in RULES)).sort()).toEqual([]);
  });

  it('no import runs against the module map', () => {
    const files = sources(ROOT).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(violations(files)).toEqual([]);
  });

  it('catches a wrong import (the check itself can fail)', () => {
    const bad = [
      {
        path: join(ROOT, 'core', 'model.ts'),
        text: "import { renderVariant } from '../rendering/render-variant';",
      },
      { path: join(ROOT, 'sending', 'worker.ts'), text: "import { buildMime } from '../adapters/ses/mime';" },
      {
        path: join(ROOT, 'config', 'settings.ts'),
        text: "import type { X } from '../adapters/dynamodb/tables';",
      },
      { path: join(ROOT, 'editions', 'service.ts'), text: "export { y } from '../sending/dispatch';" },
      { path: join(ROOT, 'subscribers', 'csv.ts'), text: "const m = await import('../editions/model');" },
    ];
    expect(violations(bad)).toEqual([
      'core → rendering: core/model.ts imports rendering/render-variant',
      'sending → adapters: sending/worker.ts imports adapters/ses/mime',
      'config → adapters: config/settings.ts imports adapters/dynamodb/tables',
      'editions → sending: editions/service.ts imports sending/dispatch',
      'subscribers → editions: subscribers/csv.ts imports editions/model',
    ]);
  });
});
