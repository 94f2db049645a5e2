import type { Role } from '../core/roles';

/**
 * Every HTTP route, in one table: the local router, the CDK HTTP API and the
 * authorisation module all read it. A route must say who may call it; there is no
 * default that opens a route.
 */

export type HandlerName = 'health' | 'posts';

export type Access =
  /** Anyone: monitoring, and the subscriber routes protected by signed tokens. */
  | { readonly kind: 'public' }
  /** Signed-in staff holding one of these roles (and, for post-scoped routes, the post). */
  | { readonly kind: 'staff'; readonly roles: readonly Role[] };

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path template: /posts/{code} */
  readonly path: string;
  readonly handler: HandlerName;
  readonly access: Access;
  readonly summary: string;
}

const ALL_STAFF: readonly Role[] = [
  'post-editor',
  'post-approver',
  'hq-editor',
  'spokesperson',
  'analyst',
  'admin',
];

export const ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    handler: 'health',
    access: { kind: 'public' },
    summary: 'Status of each component',
  },
  {
    method: 'GET',
    path: '/posts',
    handler: 'posts',
    access: { kind: 'staff', roles: ALL_STAFF },
    summary: 'List posts',
  },
  {
    method: 'GET',
    path: '/posts/{code}',
    handler: 'posts',
    access: { kind: 'staff', roles: ALL_STAFF },
    summary: 'One post with its audiences',
  },
];

export const routeKey = (r: Pick<RouteDefinition, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
}

const compiled = ROUTES.map((route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, regex: new RegExp(`^${pattern}/?$`) };
});

/** Finds the route for a request; 'method' when the path exists with other methods only. */
export function matchRoute(method: string, path: string): RouteMatch | 'not-found' | 'method' {
  let pathMatched = false;
  for (const { route, names, regex } of compiled) {
    const m = regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const pathParameters = Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? '']));
    return { route, pathParameters };
  }
  return pathMatched ? 'method' : 'not-found';
}
