import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../functions/core/audit';
import type { LocalStack } from '../../functions/local/stack';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startSeededStack(10);
});
afterAll(async () => stack?.stop());

const entry = (
  id: string,
  at: string,
  post: string | undefined,
  action: AuditEntry['action'],
): AuditEntry => ({
  id,
  at,
  actor: 'user-123',
  action,
  ...(post ? { post } : {}),
  target: { type: 'edition', id: `ed_${id}` },
});

describe('audit trail', () => {
  it("lists a post's entries newest first, to that post's staff only", async () => {
    await stack.ctx.audit.record(entry('a1', '2026-11-01T10:00:00Z', 'tokyo', 'edition.created'));
    await stack.ctx.audit.record(entry('a2', '2026-11-02T10:00:00Z', 'tokyo', 'edition.approved'));
    await stack.ctx.audit.record(entry('a3', '2026-11-03T10:00:00Z', 'washington', 'edition.sent'));
    await stack.ctx.audit.record(entry('a4', '2026-11-04T10:00:00Z', undefined, 'report.exported'));

    const approver = bearer(await tokenFor(stack, [{ role: 'post-approver', post: 'tokyo' }]));
    const res = await fetch(`${stack.urls.api}/posts/tokyo/audit`, { headers: approver });
    const { items } = (await res.json()) as { items: AuditEntry[] };
    expect(items.map((e) => [e.id, e.action])).toEqual([
      ['a2', 'edition.approved'],
      ['a1', 'edition.created'],
    ]);
    expect((await fetch(`${stack.urls.api}/posts/washington/audit`, { headers: approver })).status).toBe(404);

    const admin = bearer(await tokenFor(stack, [{ role: 'admin' }]));
    const network = (await (await fetch(`${stack.urls.api}/audit`, { headers: admin })).json()) as {
      items: AuditEntry[];
    };
    expect(network.items.map((e) => e.id)).toEqual(['a4']);
  });

  it('never overwrites an entry', async () => {
    await expect(
      stack.ctx.audit.record({ ...entry('a1', '2026-11-01T10:00:00Z', 'tokyo', 'edition.cancelled') }),
    ).rejects.toThrow();
    const { items } = await stack.ctx.audit.list('tokyo');
    expect(items.find((e) => e.id === 'a1')?.action).toBe('edition.created');
  });
});
