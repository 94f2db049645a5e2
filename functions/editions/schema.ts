import * as z from 'zod';
import { EditionInput } from './model';

/** Where the published schema lives in the repository (generated: `missive edition schema --write`). */
export const EDITION_SCHEMA_PATH = 'docs/edition.schema.json';

/**
 * The JSON Schema of an edition file, generated from the zod schema that checks it,
 * so the two cannot drift: what a person may write (`io: 'input'`: defaults optional),
 * unknown keys refused (`additionalProperties: false`).
 */
export function editionJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(EditionInput, { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    title: 'missive edition',
    description:
      'An edition of a post: a title and one variant per audience and language, each an ordered list of blocks. Write it with `missive edition new --post CODE`; send it with `missive edition create|update --file F.json` or POST/PUT /posts/{code}/editions.',
  };
}
