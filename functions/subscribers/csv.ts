import { parse } from 'csv-parse/sync';
import * as z from 'zod';
import { ValidationError } from '../core/errors';
import { Consent, Language, SubscriptionStatus } from '../core/model';
import { parseInput } from '../core/validation';

/**
 * Subscriber lists as CSV (the seeds, and next the Mailchimp and Ymlp imports): one
 * row per person x post audience. Each bad row is one line naming file, line and field.
 */
export const SubscriptionRow = z.object({
  email: z.email(),
  name: z.string().trim().min(1),
  preferred_language: Language,
  post: z.string(),
  audience: z.string(),
  language: Language,
  status: SubscriptionStatus,
  consent_at: Consent.shape.at,
  consent_source: Consent.shape.source,
});
export type SubscriptionRow = z.infer<typeof SubscriptionRow>;

export const SuppressionRow = z.object({
  email: z.email(),
  reason: z.enum(['bounce', 'complaint', 'manual']),
  at: z.iso.datetime(),
});

export function parseCsv<T>(text: string, file: string, schema: z.ZodType<T>): { row: T; line: number }[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, info: true });
  } catch (error) {
    throw new ValidationError(`${file}: ${(error as Error).message}`);
  }
  return records.map(({ record, info }) => ({
    row: parseInput(schema, record, `${file}:${info.lines}`),
    line: info.lines,
  }));
}
