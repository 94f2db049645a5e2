import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/errors';
import { LocalQueue } from '../../functions/local/queue';

/** The local stack's SQS stand-in, kept on disk: what it holds survives a restart. */
const options = (dir?: string) => ({
  visibilityTimeoutMs: 60_000,
  maxReceives: 2,
  ...(dir ? { dir } : {}),
});
const tempDir = async () => join(await mkdtemp(join(tmpdir(), 'missive-queue-')), 'send');

describe('local queue kept on disk', () => {
  it('gives back, after a restart, every message not acknowledged, in order, visible at once', async () => {
    const dir = await tempDir();
    const first = await LocalQueue.open<{ n: number }>('send', options(dir));
    await first.send([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    const taken = first.receive(2); // 1 and 2 in flight
    await first.ack(taken[0]?.id ?? '');
    await first.close();

    const second = await LocalQueue.open<{ n: number }>('send', options(dir));
    expect(second.depth).toBe(3);
    // 2 was in flight in the stopped process: it comes back now, not after the visibility timeout.
    expect(second.receive(10).map((m) => m.body.n)).toEqual([2, 3, 4]);
    await second.close();
  });

  it('keeps the messages sent after a restart apart from those kept from before', async () => {
    const dir = await tempDir();
    const first = await LocalQueue.open<string>('send', options(dir));
    await first.send(['a', 'b']);
    await first.close();
    const second = await LocalQueue.open<string>('send', options(dir));
    await second.send(['c']);
    const all = second.receive(10);
    expect(all.map((m) => m.body)).toEqual(['a', 'b', 'c']);
    await second.ack(all[0]?.id ?? '');
    await second.close();
    const third = await LocalQueue.open<string>('send', options(dir));
    expect(third.receive(10).map((m) => m.body)).toEqual(['b', 'c']);
    await third.close();
  });

  it('keeps dead letters with their reason, and never delivers them again', async () => {
    const dir = await tempDir();
    const first = await LocalQueue.open<string>('send', options(dir));
    await first.send(['poison', 'fine']);
    for (let i = 0; i < 2; i++) {
      const [m] = first.receive(1, Date.now() + i * 120_000);
      await first.fail(m?.id ?? '', 'template missing');
    }
    expect(first.deadLetters).toEqual([{ body: 'poison', reason: 'template missing', receives: 2 }]);
    await first.close();

    const second = await LocalQueue.open<string>('send', options(dir));
    expect(second.deadLetters).toEqual([{ body: 'poison', reason: 'template missing', receives: 2 }]);
    expect(second.receive(10).map((m) => m.body)).toEqual(['fine']);
    await second.close();
  });

  it('redelivers a failed message after the visibility timeout', async () => {
    const queue = await LocalQueue.open<string>('send', options(await tempDir()));
    await queue.send(['x']);
    const now = Date.now();
    const [m] = queue.receive(1, now);
    await queue.fail(m?.id ?? '', 'throttled');
    expect(queue.receive(1, now + 1000)).toEqual([]);
    expect(queue.receive(1, now + 61_000).map((x) => x.receives)).toEqual([2]);
    await queue.close();
  });

  it('keeps nothing without a folder (--memory)', async () => {
    const first = await LocalQueue.open<string>('send', options());
    await first.send(['a']);
    await first.close();
    expect((await LocalQueue.open<string>('send', options())).depth).toBe(0);
  });

  it('says which queue and folder it cannot read', async () => {
    const dir = await tempDir();
    await writeFile(dir, 'not a folder');
    const opening = LocalQueue.open<string>('send', options(dir));
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(
      new RegExp(`^the local send queue in ${dir} cannot be read: [^\\n]+$`),
    );
  });
});
