import { InvalidArgumentError } from 'commander';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return n;
}

export function parseSlug(value: string): string {
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(value)) {
    throw new InvalidArgumentError(
      'must be a code like "tokyo" or "new-delhi" (lowercase letters, digits, dashes)',
    );
  }
  return value;
}
