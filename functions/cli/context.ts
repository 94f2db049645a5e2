import { type AppContext, buildContext } from '../app';
import { loadSettings } from '../config/settings';
import { silentLogger } from '../core/log';

/** Context for one CLI command against the configured stack (local by default). */
export function cliContext(env: Record<string, string | undefined> = process.env): AppContext {
  return buildContext(loadSettings(env), { log: silentLogger, maxAttempts: 2 });
}
