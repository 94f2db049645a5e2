import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../functions/core/errors';
import { systemClock } from '../../functions/core/ports';
import { parseInput } from '../../functions/core/validation';
import type { ApiEvent } from '../../functions/http/api';
import { parseBody } from '../../functions/http/body';
import { readSeeds } from '../../functions/seeding/seeds';

const Schedule = z.object({ at: z.string({ error: 'must be an ISO date and time' }).optional() });
const TestSend = z.object({
  to: z.array(z.string()),
  audience: z.string({ error: 'must name the audience' }),
});
const request = (body?: string) =>
  ({ routeKey: 'POST /x', ...(body ? { body } : {}) }) as unknown as ApiEvent;

/** The message of what `run` throws, checking it is a ValidationError (a 400, exit code 2). */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('parseInput', () => {
  it('names the source and the path of the first wrong field in one line', () => {
    const Edition = z.object({
      variants: z.array(z.object({ subject: z.string().min(1, 'must not be empty') })),
    });
    expect(
      refusal(() => parseInput(Edition, { variants: [{ subject: 'a' }, { subject: '' }] }, 'edition')),
    ).toBe('edition: variants.1.subject: must not be empty');
  });

  it('says what is wrong with the whole value when no field is to blame', () => {
    expect(refusal(() => parseInput(Schedule, [], 'schedule'))).toBe(
      'schedule: Invalid input: expected object, received array',
    );
  });

  it('returns the parsed value', () => {
    expect(parseInput(Schedule, { at: '2026-12-01T09:00:00Z', extra: 1 }, 'schedule')).toEqual({
      at: '2026-12-01T09:00:00Z',
    });
  });
});

describe('parseBody', () => {
  it('names the wrong field of a JSON body', () => {
    expect(refusal(() => parseBody(request('{"to": [], "audience": 3}'), TestSend, 'test-send'))).toBe(
      'test-send: audience: must name the audience',
    );
  });

  it('asks for a body the schema needs, and lets an optional one be left out', () => {
    expect(refusal(() => parseBody(request(), TestSend, 'test-send'))).toBe(
      'test-send: the request needs a JSON body',
    );
    expect(parseBody(request(), Schedule.optional(), 'schedule')).toBeUndefined();
  });

  it('refuses a body that is not JSON', () => {
    expect(refusal(() => parseBody(request('{to:'), TestSend, 'test-send'))).toMatch(
      /^the body is not valid JSON: /,
    );
  });
});

describe('seed files', () => {
  it('name the file, line and field of a bad row in the same form', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'missive-seeds-'));
    const seeds = join(import.meta.dirname, '..', '..', 'seeds');
    await writeFile(join(dir, 'posts.json'), await readFile(join(seeds, 'posts.json')));
    await writeFile(join(dir, 'suppressions.csv'), 'email,reason,at\n');
    await writeFile(
      join(dir, 'subscribers.csv'),
      'email,name,preferred_language,post,audience,language,status,consent_at,consent_source\n' +
        'not-an-address,A,en,tokyo,economic,en,confirmed,2026-01-01T00:00:00Z,web\n',
    );
    await expect(readSeeds(dir, systemClock)).rejects.toThrow(
      `${join(dir, 'subscribers.csv')}:2: email: Invalid email address`,
    );
  });
});
