import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SEEDS_DIR = join(import.meta.dirname, '..', '..', 'seeds');

/** A small copy of the seeds (the real posts, the first N subscription rows): fast stack tests. */
export async function smallSeeds(rows = 60): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'missive-seeds-'));
  await writeFile(join(dir, 'posts.json'), await readFile(join(SEEDS_DIR, 'posts.json')));
  const lines = (await readFile(join(SEEDS_DIR, 'subscribers.csv'), 'utf8')).split('\n');
  await writeFile(join(dir, 'subscribers.csv'), `${lines.slice(0, rows + 1).join('\n')}\n`);
  await writeFile(join(dir, 'suppressions.csv'), await readFile(join(SEEDS_DIR, 'suppressions.csv')));
  await cp(join(SEEDS_DIR, 'feeds'), join(dir, 'feeds'), { recursive: true });
  return dir;
}
