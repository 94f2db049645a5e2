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

export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1_000_000)
    throw new InvalidArgumentError('must be a whole number from 1 to 1000000');
  return n;
}
