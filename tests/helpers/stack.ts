import { issueLocalToken } from '../../functions/adapters/auth/staff-tokens';
import type { Grant } from '../../functions/core/access';
import { silentLogger } from '../../functions/core/log';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../functions/local/stack';
import { smallSeeds } from './seeds';

export const stackOptions = (over: Partial<LocalStackOptions> = {}): LocalStackOptions => ({
  httpPort: 0,
  sesPort: 0,
  dynamodbPort: 0,
  feedsPort: 0,
  memory: true,
  dataDir: '.data',
  seedsDir: undefined,
  env: {},
  log: silentLogger,
  ...over,
});

/** A local stack in memory with the real posts and a few subscribers. */
export async function startSeededStack(rows = 60): Promise<LocalStack> {
  return startLocalStack(stackOptions({ seedsDir: await smallSeeds(rows) }));
}

/** A staff token the stack accepts, as `missive token` makes them. */
export function tokenFor(
  stack: LocalStack,
  grants: Grant[],
  options: { ttlSeconds?: number; now?: Date } = {},
) {
  const secret = stack.ctx.settings.signingKeys[0]?.secret ?? '';
  return issueLocalToken(secret, {
    subject: `user-${grants.map((g) => g.role).join('-') || 'none'}`,
    grants,
    ttlSeconds: options.ttlSeconds ?? 600,
    ...(options.now ? { now: options.now } : {}),
  });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
