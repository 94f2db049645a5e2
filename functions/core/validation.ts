import type * as z from 'zod';
import { ValidationError } from './errors';

/** The first thing wrong in a failed parse: the field's path ('' for the whole value) and zod's message. */
export function firstIssue(error: z.ZodError): { readonly path: string; readonly message: string } {
  const issue = error.issues[0];
  return { path: issue?.path.join('.') ?? '', message: issue?.message ?? 'invalid' };
}

/**
 * The input checked against its schema, or one ValidationError line naming where it
 * came from and the first wrong field: "edition: variants.2.blocks.0.url: must be an
 * http(s) URL", "seeds/subscribers.csv:3: email: Invalid email address".
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const { path, message } = firstIssue(parsed.error);
  throw new ValidationError(path ? `${where}: ${path}: ${message}` : `${where}: ${message}`);
}
