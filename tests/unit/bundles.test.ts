import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE, entryOf } from '../../infra/constructs/bundling';

/** The packages whose code ends up in a function's bundle, built as CDK builds it (infra/constructs/bundling.ts). */
async function packagesIn(handler: string): Promise<Set<string>> {
  return new Set(
    (await filesIn(handler)).map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? ''),
  );
}

/** The files whose code ends up in a function's bundle. */
async function filesIn(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entryOf(handler)],
    bundle: true,
    write: false,
    outfile: `/tmp/${handler}/index.mjs`,
    format: BUNDLE.format,
    target: BUNDLE.target,
    platform: BUNDLE.platform,
    minify: BUNDLE.minify,
    external: [...BUNDLE.externalModules],
    mainFields: [...BUNDLE.mainFields],
    metafile: true,
    logLevel: 'error',
  });
  return Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
}

/** What only rendering, the feed parser or reports need: the public reader routes load none of it. */
const HEAVY = ['mjml', 'mjml-core', 'juice', 'html-to-text', 'feedsmith', 'fast-xml-parser'];

describe('Lambda bundles hold what their handler uses', () => {
  it.each(['reader', 'unsubscribe', 'send-worker'])(
    'the %s function bundles no MJML, renderer or feed parser',
    async (handler) => {
      const packages = await packagesIn(handler);
      expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
      // The check sees packages at all: the reader's pages are Handlebars.
      expect(packages.has('handlebars')).toBe(true);
    },
  );

  it("takes zod's schemas without its translations (import * as z: import { z } brings every locale)", async () => {
    const locales = (await filesIn('reader')).filter((f) => f.includes('zod/v4/locales/'));
    expect(locales.filter((f) => !f.endsWith('/en.js'))).toEqual([]);
  });

  it('the editions function, which renders, bundles MJML', async () => {
    expect((await packagesIn('editions')).has('mjml-core')).toBe(true);
  });
});
