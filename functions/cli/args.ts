import { InvalidArgumentError } from 'commander';

/** An option that is one of `values`, or one line naming them. */
export const choice =
  <T extends string>(values: readonly T[]) =>
  (value: string): T => {
    if (!(values as readonly string[]).includes(value))
      throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value as T;
  };

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

/** Names the pipeline itself uses in the audit trail: nobody acts as them. */
const RESERVED_ACTORS = new Set(['system', 'scheduler']);

/** Who acts (`--as`): a login or address-like id, printable, short; it is written to the audit trail. */
export function parseActorId(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+:-]{0,99}$/.test(value))
    throw new InvalidArgumentError(
      'must be a login such as jane.doe or jane.doe@diplomatie.be (letters, digits, . _ @ + : -, up to 100)',
    );
  if (RESERVED_ACTORS.has(value.toLowerCase()))
    throw new InvalidArgumentError(`"${value}" is the pipeline's own name in the audit trail: use your own`);
  return value;
}
