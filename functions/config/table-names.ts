/**
 * The tables by id, and their physical names: what settings need to know of the
 * tables. Their keys and indexes are defined once in adapters/dynamodb/tables.ts,
 * which must define exactly these ids (checked by its type).
 */
export const TABLE_IDS = [
  'directory',
  'subscribers',
  'suppressions',
  'content',
  'editions',
  'sends',
  'stats',
  'events',
  'audit',
] as const;

export type TableId = (typeof TABLE_IDS)[number];

/** Physical name of a table: the stage prefix plus the table's id (3+ characters, as dynalite wants). */
export const physicalTableName = (prefix: string, id: TableId): string => `${prefix}${id}`;

export type TableNames = Record<TableId, string>;

export const tableNames = (prefix: string): TableNames =>
  Object.fromEntries(TABLE_IDS.map((id) => [id, physicalTableName(prefix, id)])) as TableNames;
