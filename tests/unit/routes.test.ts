import { describe, expect, it } from 'vitest';
import { HTTP_HANDLERS } from '../../functions/handlers';
import { matchRoute, ROUTES, routeKey } from '../../functions/http/routes';

describe('route table', () => {
  it('gives every route an access rule and a handler that exists', () => {
    for (const route of ROUTES) {
      expect(['public', 'staff'], routeKey(route)).toContain(route.access.kind);
      if (route.access.kind === 'staff')
        expect(route.access.roles.length, routeKey(route)).toBeGreaterThan(0);
      expect(HTTP_HANDLERS[route.handler], routeKey(route)).toBeTypeOf('function');
    }
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
