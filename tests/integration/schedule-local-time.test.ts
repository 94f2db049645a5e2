import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/** `schedule --at 2027-01-05T09:00` is the post's 09:00, not 09:00Z (issue 21, item 4). */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startSeededStack();
});
afterAll(async () => stack?.stop());

const seededEdition = async (post: string) => {
  const id = (await stack.ctx.repos.editions.listByPost(post)).items[0]?.id ?? '';
  return id;
};

async function schedule(post: string, id: string, at: string) {
  const res = await fetch(`${stack.urls.api}/posts/${post}/editions/${id}/schedule`, {
    method: 'POST',
    headers: { ...bearer(await tokenFor(stack, [{ role: 'admin' }])), 'content-type': 'application/json' },
    body: JSON.stringify({ at }),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      edition?: { scheduledAt?: string; status: string };
      scheduledFor?: { local: string; timeZone: string; utc: string; text: string };
      error?: { message: string };
    },
  };
}

describe('scheduling in the post time zone', () => {
  it('the API reads a time without an offset as Tokyo time and answers both ways', async () => {
    const id = await seededEdition('tokyo');
    const res = await schedule('tokyo', id, '2027-01-05T09:00');
    expect(res.status).toBe(200);
    expect(res.body.edition?.scheduledAt).toBe('2027-01-05T00:00:00.000Z');
    expect(res.body.scheduledFor).toEqual({
      local: '2027-01-05T09:00:00+09:00',
      timeZone: 'Asia/Tokyo',
      utc: '2027-01-05T00:00:00.000Z',
      text: '2027-01-05 09:00 Asia/Tokyo (UTC+09:00) = 2027-01-05 00:00 UTC',
    });
    // Stored as the instant: the scheduler sends at 00:00Z.
    expect((await stack.ctx.repos.editions.get(id))?.scheduledAt).toBe('2027-01-05T00:00:00.000Z');
  });

  it('refuses, with a 400 naming the zone, a local time the clocks skip', async () => {
    const id = await seededEdition('hq');
    const res = await schedule('hq', id, '2027-03-28T02:30');
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toBe(
      'at: 2027-03-28T02:30 does not exist in Europe/Brussels (the clocks go forward then): choose another time',
    );
  });

  it('the CLI does the same (Berlin, summer time) and prints the local time and UTC', SPAWNING, async () => {
    const id = await seededEdition('berlin');
    const out = await missive(['edition', 'schedule', id, '--at', '2027-07-05T09:00'], stackEnv(stack));
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(
      'scheduled for 2027-07-05 09:00 Europe/Berlin (UTC+02:00) = 2027-07-05 07:00 UTC',
    );
    expect((await stack.ctx.repos.editions.get(id))?.scheduledAt).toBe('2027-07-05T07:00:00.000Z');
  });
});
