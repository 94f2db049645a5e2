import { describe, expect, it } from 'vitest';
import { HTTP_HANDLERS, HTTP_OPERATIONS } from '../../functions/handlers';
import type { OperationsOf } from '../../functions/http/operations';
import { matchRoute, ROUTES, type RouteDefinition, routeKey } from '../../functions/http/routes';

describe('route table', () => {
  it('gives every route an access rule and a handler that exists', () => {
    for (const route of ROUTES) {
      expect(['public', 'staff'], routeKey(route)).toContain(route.access.kind);
      if (route.access.kind === 'staff')
        expect(route.access.roles.length, routeKey(route)).toBeGreaterThan(0);
      expect(HTTP_HANDLERS[route.handler], routeKey(route)).toBeTypeOf('function');
    }
  });

  it("names an operation its handler implements, and each operation is one route's (a HEAD route mirrors its GET)", () => {
    for (const route of ROUTES) {
      const operations: Record<string, unknown> = HTTP_OPERATIONS[route.handler];
      expect(operations[route.operation], routeKey(route)).toBeTypeOf('function');
    }
    const heads = ROUTES.filter((r) => r.method === 'HEAD');
    for (const head of heads)
      expect(
        ROUTES.some((r) => r.method === 'GET' && r.path === head.path && r.operation === head.operation),
      ).toBe(true);
    const named = ROUTES.filter((r) => r.method !== 'HEAD').map((r) => `${r.handler}.${r.operation}`);
    const implemented = Object.entries(HTTP_OPERATIONS).flatMap(([h, ops]) =>
      Object.keys(ops).map((o) => `${h}.${o}`),
    );
    expect(new Set(named).size).toBe(named.length);
    expect([...named].sort()).toEqual(implemented.sort());
  });

  it('has no two routes with the same method and path', () => {
    const keys = ROUTES.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('matches path templates and extracts parameters', () => {
    const m = matchRoute('GET', '/posts/new-delhi');
    expect(m).not.toBeTypeOf('string');
    if (typeof m !== 'string') {
      expect(routeKey(m.route)).toBe('GET /posts/{code}');
      expect(m.pathParameters).toEqual({ code: 'new-delhi' });
    }
    expect(matchRoute('GET', '/nowhere')).toBe('not-found');
    expect(matchRoute('DELETE', '/posts')).toBe('method');
  });
});

// Compile-time checks (tsc runs over the tests): each fails to compile if the typing is loosened.
// @ts-expect-error: a route naming an operation of another handler
const _wrongHandler: RouteDefinition = {
  method: 'GET',
  path: '/x',
  handler: 'posts',
  operation: 'createEdition',
  access: { kind: 'public' },
  summary: '',
};
// @ts-expect-error: a handler module without the code of one of its operations
const _missing: OperationsOf<'posts'> = { listPosts: HTTP_OPERATIONS.posts.listPosts };
