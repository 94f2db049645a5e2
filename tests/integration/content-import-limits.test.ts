import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../functions/cli/main';
import { item, rss } from '../helpers/feeds';

/**
 * `content import` takes the limits a sync takes (document size, number of items):
 * a 57 MB file of 60,000 items was accepted and held 524 MB. Run in-process through
 * main(), the binary's entry; the files are generated here.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'missive-import-limits-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

async function importFile(file: string): Promise<{ code: number; stderr: string }> {
  // Nothing may be read or written: a store that cannot be reached would show up as exit 1.
  vi.stubEnv('MISSIVE_DYNAMODB_ENDPOINT', 'http://127.0.0.1:9');
  let stderr = '';
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['content', 'import', '--file', file, '--lang', 'fr', '--dry-run']);
    return { code, stderr };
  } finally {
    write.mockRestore();
  }
}

describe('content import limits', () => {
  it('refuses a file over 5 MiB in one line naming the file and the limit, exit 2', async () => {
    const file = join(dir, 'huge.xml');
    const one = rss([item(1)]);
    // A valid feed padded past the limit with whitespace: only its size is wrong.
    const padded = one.replace('</channel>', `${' '.repeat(5 * 1024 * 1024)}</channel>`);
    await writeFile(file, padded);
    const r = await importFile(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `missive: ${file}: ${padded.length} bytes, over the 5242880-byte (5 MiB) limit for a feed document\n`,
    );
  });

  it('refuses a feed of more than 1000 items in one line naming the file and the limit, exit 2', async () => {
    const file = join(dir, 'many.xml');
    await writeFile(file, rss(Array.from({ length: 1001 }, (_, i) => item(i))));
    const r = await importFile(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`missive: ${file}: the feed has 1001 items, over the 1000-item limit\n`);
  });
});
