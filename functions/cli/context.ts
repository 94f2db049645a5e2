import { existsSync, readFileSync } from 'node:fs';
import { type AppContext, buildContext } from '../app';
import { loadSettings } from '../config/settings';
import { silentLogger } from '../core/log';
import { localKeyFile } from '../local/stack';

/**
 * Context for one CLI command against the configured stack (local by default). In
 * local mode the signing key of the running stack (.data/local-signing-key) is used
 * unless MISSIVE_SIGNING_KEYS is set, so links built by the CLI work on that stack.
 */
export function cliContext(env: Record<string, string | undefined> = process.env): AppContext {
  const file = localKeyFile('.data');
  const localKey =
    !env.MISSIVE_SIGNING_KEYS && env.MISSIVE_MODE !== 'aws' && existsSync(file)
      ? readFileSync(file, 'utf8').trim()
      : undefined;
  return buildContext(loadSettings({ ...env, ...(localKey ? { MISSIVE_SIGNING_KEYS: localKey } : {}) }), {
    log: silentLogger,
    maxAttempts: 2,
  });
}
