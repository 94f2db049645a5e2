import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import * as z from 'zod';
import type { Env } from '../config/settings';

/**
 * What a running `missive local` tells the other commands: where its servers listen,
 * where its data and signing key are, and its pid (a record of a dead process is
 * ignored). Kept in `.data/stack.json` of the folder the stack was started in, mode
 * 0600: a --memory stack's key is in it, since it is kept nowhere else.
 */
export const StackRecord = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  urls: z.object({
    api: z.string(),
    ses: z.string(),
    dynamodb: z.string(),
    feeds: z.string().optional(),
  }),
  /** The base of public links (the API's URL unless MISSIVE_PUBLIC_BASE_URL said otherwise). */
  publicBaseUrl: z.string(),
  tablePrefix: z.string(),
  memory: z.boolean(),
  /** Absolute; where DynamoDB, the queues and the outbox are kept (unused in memory). */
  dataDir: z.string(),
  /** How to get the stack's signing key: its file, the key itself (memory), or the stack's environment. */
  signingKey: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), file: z.string() }),
    z.object({ kind: z.literal('inline'), keys: z.string() }),
    z.object({ kind: z.literal('environment') }),
  ]),
});
export type StackRecord = z.infer<typeof StackRecord>;

/** The record of a stack started in `folder`. */
export const stackRecordFile = (folder: string) => join(resolve(folder), '.data', 'stack.json');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The record in `file` if it is readable and its stack's process still runs. */
export function readStackRecord(file: string): StackRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = StackRecord.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success && alive(parsed.data.pid) ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole (temporary file, then rename), so a reader never sees half a record. */
export async function writeStackRecord(file: string, record: StackRecord): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  await rename(temp, file);
}

/**
 * What to say when a stack starts where another live one is recorded: the record is
 * replaced (the newest stack is the one commands here reach), so the other is named.
 */
export function replacedStackNote(file: string, pid: number): string | undefined {
  const other = readStackRecord(file);
  if (!other || other.pid === pid) return undefined;
  return `Another stack is running from this folder (pid ${other.pid}, API ${other.urls.api}): commands here now talk to this one; reach the other with its MISSIVE_* variables (npx missive status).`;
}

/** Removes the record on a clean stop, unless another stack has written its own since. */
export async function removeStackRecord(file: string, pid: number): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === undefined) return;
  try {
    if ((JSON.parse(current) as { pid?: unknown }).pid !== pid) return;
  } catch {
    // An unreadable record is nobody's: remove it.
  }
  await rm(file, { force: true });
}

export interface FoundStack {
  readonly file: string;
  readonly record: StackRecord;
}

/** The running stack recorded in the working folder, else in the project folder. */
export function findStack(folders: readonly string[]): FoundStack | undefined {
  for (const folder of folders) {
    const file = stackRecordFile(folder);
    const record = readStackRecord(file);
    if (record) return { file, record };
  }
  return undefined;
}

/** The variables that point a command at the recorded stack; those set in `env` win. */
export function stackVariables(record: StackRecord, env: Env): Env {
  const has = (name: string) => env[name] !== undefined && env[name] !== '';
  const keys =
    record.signingKey.kind === 'inline'
      ? record.signingKey.keys
      : record.signingKey.kind === 'file' && existsSync(record.signingKey.file)
        ? readFileSync(record.signingKey.file, 'utf8').trim()
        : undefined;
  const from: Env = {
    MISSIVE_DYNAMODB_ENDPOINT: record.urls.dynamodb,
    MISSIVE_SES_ENDPOINT: record.urls.ses,
    MISSIVE_PUBLIC_BASE_URL: record.publicBaseUrl,
    // The stage only names the default prefix: an explicit stage means other tables.
    ...(has('MISSIVE_STAGE') ? {} : { MISSIVE_TABLE_PREFIX: record.tablePrefix }),
    ...(keys ? { MISSIVE_SIGNING_KEYS: keys } : {}),
  };
  return Object.fromEntries(Object.entries(from).filter(([name]) => !has(name)));
}
