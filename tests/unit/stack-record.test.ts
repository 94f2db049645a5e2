import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findStack,
  removeStackRecord,
  replacedStackNote,
  type StackRecord,
  stackRecordFile,
  stackVariables,
  writeStackRecord,
} from '../../functions/local/stack-record';

const record = (over: Partial<StackRecord> = {}): StackRecord => ({
  version: 1,
  pid: process.pid,
  startedAt: '2026-11-26T10:00:00.000Z',
  urls: { api: 'http://localhost:4100', ses: 'http://127.0.0.1:4105', dynamodb: 'http://127.0.0.1:4101' },
  publicBaseUrl: 'http://localhost:4100',
  tablePrefix: 'missive-local-',
  memory: true,
  dataDir: '/tmp/x',
  signingKey: { kind: 'inline', keys: `local:${'k'.repeat(43)}` },
  ...over,
});

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;

describe('the running stack record', () => {
  it('names a live stack whose record a new one replaces, and nothing for a dead or its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rec-r-'));
    const file = stackRecordFile(dir);
    expect(replacedStackNote(file, 4242)).toBeUndefined();
    await writeStackRecord(file, record({ pid: deadPid() }));
    expect(replacedStackNote(file, 4242)).toBeUndefined();
    await writeStackRecord(file, record());
    expect(replacedStackNote(file, process.pid)).toBeUndefined();
    expect(replacedStackNote(file, 4242)).toBe(
      `Another stack is running from this folder (pid ${process.pid}, API http://localhost:4100): commands here now talk to this one; reach the other with its MISSIVE_* variables (npx missive status).`,
    );
  });

  it('is found in the first folder that has a live one, and ignored once its process is gone', async () => {
    const [a, b] = [await mkdtemp(join(tmpdir(), 'rec-a-')), await mkdtemp(join(tmpdir(), 'rec-b-'))];
    await writeStackRecord(stackRecordFile(a), record({ pid: deadPid() }));
    await writeStackRecord(stackRecordFile(b), record());
    expect(findStack([a, b])?.file).toBe(stackRecordFile(b));
    await writeFile(stackRecordFile(b), '{ not json');
    expect(findStack([a, b])).toBeUndefined();
  });

  it('gives the endpoints, table prefix and key, and every variable a person set wins', () => {
    expect(stackVariables(record(), {})).toEqual({
      MISSIVE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:4101',
      MISSIVE_SES_ENDPOINT: 'http://127.0.0.1:4105',
      MISSIVE_PUBLIC_BASE_URL: 'http://localhost:4100',
      MISSIVE_TABLE_PREFIX: 'missive-local-',
      MISSIVE_SIGNING_KEYS: `local:${'k'.repeat(43)}`,
    });
    const mine = stackVariables(record(), {
      MISSIVE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      MISSIVE_STAGE: 'dev',
      MISSIVE_SIGNING_KEYS: 'x',
    });
    expect(mine).toEqual({
      MISSIVE_SES_ENDPOINT: 'http://127.0.0.1:4105',
      MISSIVE_PUBLIC_BASE_URL: 'http://localhost:4100',
    });
  });

  it("reads a persistent stack's key from its file", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rec-key-'));
    const file = join(dir, 'local-signing-key');
    await writeFile(file, `local:${'f'.repeat(43)}\n`);
    const vars = stackVariables(record({ memory: false, signingKey: { kind: 'file', file } }), {});
    expect(vars.MISSIVE_SIGNING_KEYS).toBe(`local:${'f'.repeat(43)}`);
  });

  it('is removed on a clean stop only by the stack that wrote it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rec-rm-'));
    const file = stackRecordFile(dir);
    await writeStackRecord(file, record({ pid: 424_242 }));
    await removeStackRecord(file, process.pid);
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(424_242);
    await removeStackRecord(file, 424_242);
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
