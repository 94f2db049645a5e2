import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../functions/core/errors';
import { changedByAlso, checkApprover } from '../../functions/editions/model';

const approverRoles = ['post-approver'];

describe('four eyes (checkApprover)', () => {
  it('an edition stored before the record of changes: its creator may not approve it, another may', () => {
    const legacy = { author: 'alice' };
    expect(() => checkApprover(legacy, 'alice', 'post-approver', approverRoles)).toThrow(ForbiddenError);
    expect(() => checkApprover(legacy, 'bob', 'post-approver', approverRoles)).not.toThrow();
  });

  it('refuses everyone who changed it since its last approval, with one clear line', () => {
    const edited = { author: 'alice', changedBy: changedByAlso({ author: 'alice' }, 'bob') };
    for (const who of ['alice', 'bob']) {
      expect(() => checkApprover(edited, who, 'post-approver', approverRoles)).toThrow(
        'you changed this edition since its last approval: another approver must approve it',
      );
    }
    expect(() => checkApprover(edited, 'carol', 'post-approver', approverRoles)).not.toThrow();
  });

  it('after an approval (empty record) its author may approve what someone else changed', () => {
    const afterApproval = { author: 'alice', changedBy: [] };
    const changed = { author: 'alice', changedBy: changedByAlso(afterApproval, 'bob') };
    expect(changed.changedBy).toEqual(['bob']);
    expect(() => checkApprover(changed, 'alice', 'post-approver', approverRoles)).not.toThrow();
  });
});
