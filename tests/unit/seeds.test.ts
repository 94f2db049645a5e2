import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../functions/core/ports';
import { readSeeds } from '../../functions/seeding/seeds';
import { generate } from '../../seeds/generate-subscribers';

const SEEDS = join(import.meta.dirname, '..', '..', 'seeds');

describe('seed data', () => {
  it('is exactly what the generator makes (the committed files are not edited by hand)', async () => {
    const { subscribers, suppressions } = generate();
    expect(await readFile(join(SEEDS, 'subscribers.csv'), 'utf8')).toBe(subscribers);
    expect(await readFile(join(SEEDS, 'suppressions.csv'), 'utf8')).toBe(suppressions);
  });

  it('has 6+ posts on several continents and about 2,000 people on reserved domains', async () => {
    const data = await readSeeds(SEEDS, systemClock);
    expect(data.posts.length).toBeGreaterThanOrEqual(6);
    expect(new Set(data.posts.map((p) => p.continent)).size).toBeGreaterThanOrEqual(4);
    expect(data.people.length).toBeGreaterThanOrEqual(1900);
    expect(data.people.length).toBeLessThanOrEqual(2100);
    for (const { subscriber } of data.people) expect(subscriber.email).toMatch(/@example\.(com|org|net)$/);
  });

  it('subscribes some people to several posts, some in different languages (dedup and language choice)', async () => {
    const data = await readSeeds(SEEDS, systemClock);
    const multiPost = data.people.filter((p) => new Set(p.subscriptions.map((s) => s.post)).size > 1);
    const multiLang = multiPost.filter((p) => new Set(p.subscriptions.map((s) => s.language)).size > 1);
    expect(multiPost.length).toBeGreaterThan(100);
    expect(multiLang.length).toBeGreaterThan(20);
    const statuses = new Set(data.people.flatMap((p) => p.subscriptions.map((s) => s.status)));
    expect([...statuses].sort()).toEqual(['confirmed', 'pending', 'unsubscribed']);
  });

  it('names the file, line and field of a bad row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'missive-seeds-'));
    await writeFile(join(dir, 'posts.json'), await readFile(join(SEEDS, 'posts.json')));
    await writeFile(join(dir, 'suppressions.csv'), 'email,reason,at\n');
    const header = 'email,name,preferred_language,post,audience,language,status,consent_at,consent_source\n';
    await writeFile(
      join(dir, 'subscribers.csv'),
      `${header}a@example.org,A,en,tokyo,economic,en,confirmed,2026-01-01T00:00:00Z,web\nb@example.org,B,xx,tokyo,economic,en,confirmed,2026-01-01T00:00:00Z,web\n`,
    );
    await expect(readSeeds(dir, systemClock)).rejects.toThrow(/subscribers\.csv:3: preferred_language/);
    await writeFile(
      join(dir, 'subscribers.csv'),
      `${header}a@example.org,A,en,tokyo,gardening,en,confirmed,2026-01-01T00:00:00Z,web\n`,
    );
    await expect(readSeeds(dir, systemClock)).rejects.toThrow(
      /subscribers\.csv:2: audience "gardening" does not exist at tokyo/,
    );
    await writeFile(join(dir, 'posts.json'), '[{"code": "x"');
    await expect(readSeeds(dir, systemClock)).rejects.toThrow(/posts\.json: /);
  });
});
