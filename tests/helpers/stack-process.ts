import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface StackProcess {
  readonly child: ChildProcess;
  readonly urls: { readonly api: string; readonly dynamodb: string; readonly ses: string };
  /** Everything the stack printed so far (for failure messages). */
  output(): string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `missive local` in its own process, as `npm start` runs it, on free ports; resolves
 * once it prints that it is ready (`--json`), with its endpoints.
 */
export async function startStackProcess(
  dataDir: string,
  extraArgs: readonly string[] = [],
  timeoutMs = 180_000,
  /** Where it runs; its record (.data/stack.json) goes there, never into the project's own .data/. */
  cwd: string = dataDir,
): Promise<StackProcess> {
  await mkdir(cwd, { recursive: true });
  const ports = await Promise.all([0, 1, 2, 3].map(freePort));
  const flags = ['--port', '--ses-port', '--dynamodb-port', '--feeds-port'];
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '..', '..', 'bin', 'missive.js'),
      'local',
      '--json',
      '--data-dir',
      dataDir,
      ...flags.flatMap((flag, i) => [flag, String(ports[i])]),
      ...extraArgs,
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const urls = await new Promise<StackProcess['urls']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start:\n${out}`)), timeoutMs);
    child.stdout?.on('data', () => {
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { urls: StackProcess['urls'] }).urls);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited (${code}):\n${out}`));
    });
  });
  return { child, urls, output: () => out };
}
