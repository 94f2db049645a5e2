import { existsSync, readFileSync } from 'node:fs';
import { type AppContext, buildContext } from '../app';
import { type Env, loadSettings } from '../config/settings';
import { silentLogger } from '../core/log';
import { localKeyFile } from '../local/stack';
import { type FoundStack, findStack, stackVariables } from '../local/stack-record';
import { projectRoot } from './paths';

/** Where a running stack's record is looked for: the working folder, then the project's. */
export const stackFolders = (): string[] => [...new Set([process.cwd(), projectRoot])];

/**
 * The environment a CLI command runs with. In local mode a running `missive local`
 * recorded in .data/stack.json gives the endpoints, table prefix and signing key
 * (each MISSIVE_* variable set by the person wins); without one, the default ports
 * and the key a persistent stack keeps in .data/local-signing-key.
 */
export function cliEnv(env: Env = process.env): { env: Env; stack: FoundStack | undefined } {
  if (env.MISSIVE_MODE === 'aws') return { env, stack: undefined };
  const stack = findStack(stackFolders());
  if (stack) return { env: { ...env, ...stackVariables(stack.record, env) }, stack };
  const file = localKeyFile('.data');
  const localKey =
    !env.MISSIVE_SIGNING_KEYS && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  return { env: { ...env, ...(localKey ? { MISSIVE_SIGNING_KEYS: localKey } : {}) }, stack: undefined };
}

/** Context for one CLI command against the configured stack (the running local one by default). */
export function cliContext(env: Env = process.env): AppContext {
  return buildContext(loadSettings(cliEnv(env).env), {
    log: silentLogger,
    maxAttempts: 2,
  });
}
