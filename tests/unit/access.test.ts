import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../functions/app';
import {
  actorFor,
  authorize,
  grantsFromGroups,
  type Principal,
  visiblePosts,
} from '../../functions/core/access';
import { silentLogger } from '../../functions/core/log';
import type { ApiEvent } from '../../functions/http/api';
import { secure } from '../../functions/http/pipeline';

describe('grantsFromGroups', () => {
  it('reads roles and posts from group names and ignores what it does not know', () => {
    expect(
      grantsFromGroups([
        'post-editor:tokyo',
        'analyst',
        'analyst:berlin',
        'admin',
        'post-editor', // a post role without a post grants nothing
        'hq-editor:tokyo', // an HQ editor edits headquarters only
        'spokesperson:tokyo', // network roles take no post
        'superuser',
        'post-editor:Tokyo!',
        'post-editor:tokyo:extra',
      ]),
    ).toEqual([
      { role: 'post-editor', post: 'tokyo' },
      { role: 'analyst' },
      { role: 'analyst', post: 'berlin' },
      { role: 'admin' },
    ]);
    expect(grantsFromGroups(['hq-editor'])).toEqual([{ role: 'hq-editor', post: 'hq' }]);
  });
});

describe('authorize', () => {
  const editor: Principal = { id: 'u1', grants: [{ role: 'post-editor', post: 'tokyo' }] };
  const rule = { kind: 'staff', roles: ['post-editor'], scope: 'post' } as const;

  it('denies by default: a route without a rule is refused to everyone, even an admin', () => {
    const admin: Principal = { id: 'a', grants: [{ role: 'admin' }] };
    expect(authorize(undefined, admin, 'tokyo')).toMatchObject({ allow: false, status: 403 });
  });

  it('answers 401 without a principal, 403 for a role that may not, 404 for another post', () => {
    expect(authorize(rule, undefined, 'tokyo')).toMatchObject({ allow: false, status: 401 });
    expect(authorize({ ...rule, roles: ['admin'] }, editor, 'tokyo')).toMatchObject({
      allow: false,
      status: 403,
    });
    expect(authorize(rule, editor, 'washington')).toMatchObject({ allow: false, status: 404 });
    expect(authorize(rule, editor, 'tokyo')).toEqual({ allow: true });
  });

  it('lists the posts a principal may see', () => {
    expect(visiblePosts(editor, ['post-editor'])).toEqual(new Set(['tokyo']));
    expect(visiblePosts({ id: 'x', grants: [{ role: 'analyst' }] }, ['analyst'])).toBe('all');
    expect(visiblePosts(editor, ['analyst'])).toEqual(new Set());
  });
});

describe('the HTTP pipeline', () => {
  it('refuses a request whose route is not in the route table, before any handler runs', async () => {
    let called = false;
    const ctx = {
      log: silentLogger,
      auth: { authenticate: async () => ({ id: 'a', grants: [{ role: 'admin' }] }) },
    } as unknown as AppContext;
    const handler = secure(ctx, async () => {
      called = true;
      return { statusCode: 200 };
    });
    const res = await handler({
      routeKey: 'DELETE /everything',
      headers: { authorization: 'Bearer x.y.z' },
      requestContext: { requestId: 'r' },
    } as unknown as ApiEvent);
    expect(res.statusCode).toBe(403);
    expect(called).toBe(false);
  });
});

describe('actorFor', () => {
  const principal: Principal = {
    id: 'u1',
    grants: [
      { role: 'post-editor', post: 'tokyo' },
      { role: 'post-approver', post: 'berlin' },
      { role: 'analyst' },
    ],
  };

  it("acts on a post with the roles held for it and the network-wide ones, not another post's", () => {
    expect(actorFor(principal, 'tokyo')).toEqual({ id: 'u1', roles: ['post-editor', 'analyst'] });
    expect(actorFor(principal, 'berlin')).toEqual({ id: 'u1', roles: ['post-approver', 'analyst'] });
  });

  it('acts network-wide (no post) with every role held', () => {
    expect(actorFor(principal).roles).toEqual(['post-editor', 'post-approver', 'analyst']);
  });
});
