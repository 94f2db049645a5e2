import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A random, unguessable id with a readable prefix (sub_, ed_, ...). Ids go into
 * signed links and keys, never email addresses.
 */
export function newId(prefix: string, length = 20): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

/**
 * A stable id derived from a name (used for seed data, so that loading the seeds
 * again overwrites the same items instead of adding copies).
 */
export function stableId(prefix: string, name: string, length = 20): string {
  const digest = createHash('sha256').update(`missive:${prefix}:${name}`).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(digest[i] ?? 0) & 31];
  return `${prefix}_${out}`;
}
