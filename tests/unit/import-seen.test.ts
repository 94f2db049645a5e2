import { describe, expect, it } from 'vitest';
import { SeenAddresses } from '../../functions/subscribers/import/seen';

describe('SeenAddresses (in-file duplicates of an import)', () => {
  it('gives back where an address was first seen, across the growth of its table', () => {
    // A tiny table, so it grows many times over the rows.
    const seen = new SeenAddresses(4);
    for (let i = 0; i < 50_000; i++)
      expect(seen.firstOrRemember(`p${i}@example.org`, { file: i % 3, line: i + 2 })).toBeUndefined();
    expect(seen.size).toBe(50_000);
    for (const i of [0, 1, 777, 49_999])
      expect(seen.firstOrRemember(`p${i}@example.org`, { file: 9, line: 1 })).toEqual({
        file: i % 3,
        line: i + 2,
      });
    expect(seen.firstOrRemember('someone.else@example.org', { file: 0, line: 3 })).toBeUndefined();
    expect(seen.size).toBe(50_001);
  });

  it('holds a few dozen bytes an address, not a string per address', () => {
    const seen = new SeenAddresses();
    for (let i = 0; i < 200_000; i++)
      seen.firstOrRemember(`bench.person.${i}@example.org`, { file: 0, line: i });
    // 20 bytes a slot at a load of at most 0.7, doubled: under 64 bytes an address in the worst case.
    expect(seen.bytes).toBeLessThan(200_000 * 64);
  });
});
