import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Env } from '../config/settings';

/**
 * On AWS the link-signing keys live in Secrets Manager, never in the template or
 * the function's environment: the secret holds {"kid", "secret"} (current key) and
 * optionally "previous": "kid:secret,..." (older keys that still verify).
 * MISSIVE_SIGNING_KEYS_SECRET_ARN names it; the result is MISSIVE_SIGNING_KEYS.
 */
export async function resolveSecrets(env: Env): Promise<Env> {
  const arn = env.MISSIVE_SIGNING_KEYS_SECRET_ARN;
  if (!arn || env.MISSIVE_SIGNING_KEYS) return env;
  const client = new SecretsManagerClient(env.AWS_REGION ? { region: env.AWS_REGION } : {});
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  const value = JSON.parse(out.SecretString ?? '{}') as { kid?: string; secret?: string; previous?: string };
  const keys = [
    `${value.kid ?? 'k1'}:${value.secret ?? ''}`,
    ...(value.previous ? [value.previous] : []),
  ].join(',');
  return { ...env, MISSIVE_SIGNING_KEYS: keys };
}
