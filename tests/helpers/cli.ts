import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { LocalStack } from '../../functions/local/stack';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'missive.js');

/**
 * A spawned CLI starts tsx and compiles on the fly: ~2 s on an idle machine, many times
 * that on a busy one. Tests that spawn get a generous budget, so load makes them slow, not red.
 */
export const SPAWN_TIMEOUT = 90_000;
export const SPAWNING = { timeout: 4 * SPAWN_TIMEOUT };

/** Runs the CLI as a user would; asynchronous, so the stack in this process keeps serving. */
export function missive(args: string[], env: Record<string, string> = {}, cwd?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: SPAWN_TIMEOUT,
        ...(cwd ? { cwd } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

/** The settings that point a CLI at a running local stack. */
export const stackEnv = (stack: LocalStack): Record<string, string> => ({
  MISSIVE_DYNAMODB_ENDPOINT: stack.urls.dynamodb,
  MISSIVE_SES_ENDPOINT: stack.urls.ses,
  MISSIVE_PUBLIC_BASE_URL: stack.urls.api,
  MISSIVE_SIGNING_KEYS: stack.ctx.settings.signingKeys.map((k) => `${k.id}:${k.secret}`).join(','),
});
