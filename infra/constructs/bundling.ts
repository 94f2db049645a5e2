import { join } from 'node:path';

/** The repository's root: entries, the lock file and templates/ are found from here. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** A Lambda's entry module: functions/handlers/<name>.ts. */
export const entryOf = (handler: string): string => join(ROOT, 'functions', 'handlers', `${handler}.ts`);

/**
 * How every Lambda is bundled, in one place: NodejsFunction's options (CDK runs esbuild
 * with them) and bench/coldstart.ts (esbuild offline, the same way) read these, so the
 * benchmark measures what is deployed.
 */
export const BUNDLE = {
  format: 'esm',
  target: 'node22',
  platform: 'node',
  minify: true,
  // The AWS SDK is bundled (docs/decisions.md): the versions are the tested ones, and
  // esbuild keeps only the clients and commands a function imports.
  externalModules: [] as string[],
  mainFields: ['module', 'main'],
  // Some dependencies are CommonJS and call require(): give ESM output a require.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * Source maps only when asked (`cdk deploy -c sourceMaps=true`): a map is several times
 * the size of its bundle, and Node reading it with --enable-source-maps slows every cold start.
 */
export const SOURCE_MAPS_CONTEXT = 'sourceMaps';
