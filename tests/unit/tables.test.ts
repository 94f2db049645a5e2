import { describe, expect, it } from 'vitest';
import { toCreateTableInput } from '../../functions/adapters/dynamodb/provision';
import { TABLE_IDS, TABLES, tableNames } from '../../functions/adapters/dynamodb/tables';

describe('table definitions', () => {
  it('declares exactly the key attributes each table and index uses', () => {
    for (const id of TABLE_IDS) {
      const input = toCreateTableInput(TABLES[id], `t-${id}`);
      const declared = (input.AttributeDefinitions ?? []).map((a) => a.AttributeName).sort();
      const used = new Set<string>();
      for (const k of input.KeySchema ?? []) used.add(k.AttributeName as string);
      for (const gsi of input.GlobalSecondaryIndexes ?? []) {
        for (const k of gsi.KeySchema ?? []) used.add(k.AttributeName as string);
      }
      expect(declared, id).toEqual([...used].sort());
      expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    }
  });

  it('gives every table a name of at least 3 characters under the stage prefix', () => {
    const names = tableNames('missive-dev-');
    for (const id of TABLE_IDS) expect(names[id]).toMatch(/^missive-dev-[a-z]{3,}$/);
  });
});
