import { ROLES, type Role } from './roles';

/**
 * The authorisation module: who may do what on which post. Handlers never decide
 * by themselves; the HTTP pipeline asks `authorize` for every request, with the
 * route's rule from the route table, and list handlers ask `visiblePosts`.
 */

/** A role held network-wide (post undefined) or for one post. */
export interface Grant {
  readonly role: Role;
  readonly post?: string;
}

export interface Principal {
  /** The identity provider's subject (Cognito `sub`): what the audit trail records. */
  readonly id: string;
  readonly grants: readonly Grant[];
}

/** Who acts in a use case: the identity's subject and the roles they hold where they act. */
export interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * The principal as an actor on one post: the roles held for that post or network-wide.
 * Without a post (network-wide actions), every role the principal holds.
 */
export function actorFor(principal: Principal, post?: string): Actor {
  return {
    id: principal.id,
    roles: principal.grants
      .filter((g) => post === undefined || g.post === undefined || g.post === post)
      .map((g) => g.role),
  };
}

export type AccessRule =
  /** Anyone: monitoring, and the subscriber routes protected by signed link tokens. */
  | { readonly kind: 'public' }
  /**
   * Staff holding one of these roles. `post`: the route acts on the post named by
   * its {code} path parameter, and the role must be held for that post (or
   * network-wide). `network`: the role is enough (lists are filtered by post).
   */
  | { readonly kind: 'staff'; readonly roles: readonly Role[]; readonly scope: 'post' | 'network' };

export type Decision =
  | { readonly allow: true }
  /** 401: no valid credentials. 403: the role may not. 404: another post's object. */
  | { readonly allow: false; readonly status: 401 | 403 | 404; readonly reason: string };

const POST_ROLES: ReadonlySet<Role> = new Set(['post-editor', 'post-approver']);

/**
 * Groups carry roles and posts: `admin`, `spokesperson`, `analyst` (network-wide),
 * `analyst:<post>`, `post-editor:<post>`, `post-approver:<post>`, and `hq-editor`
 * (the editor of the "hq" pseudo-post, whose editions are the network-wide ones).
 * Unknown or malformed groups grant nothing.
 */
export function grantsFromGroups(groups: readonly string[]): Grant[] {
  const grants: Grant[] = [];
  for (const group of groups) {
    const [role, post, extra] = group.split(':');
    if (extra !== undefined || !(ROLES as readonly string[]).includes(role ?? '')) continue;
    const r = role as Role;
    if (r === 'hq-editor') {
      // HQ editors edit the headquarters' pseudo-post ("hq"): its editions are the network-wide ones.
      if (post === undefined || post === 'hq') grants.push({ role: r, post: 'hq' });
      continue;
    }
    if (post !== undefined) {
      if (!/^[a-z][a-z0-9-]{1,39}$/.test(post) || !(POST_ROLES.has(r) || r === 'analyst')) continue;
      grants.push({ role: r, post });
    } else if (!POST_ROLES.has(r)) {
      grants.push({ role: r });
    }
  }
  return grants;
}

export function authorize(
  rule: AccessRule | undefined,
  principal: Principal | undefined,
  post: string | undefined,
): Decision {
  // Deny by default: a route without a rule is closed to everyone.
  if (!rule) return { allow: false, status: 403, reason: 'this route has no access rule' };
  if (rule.kind === 'public') return { allow: true };
  if (!principal) return { allow: false, status: 401, reason: 'sign in: a valid bearer token is required' };
  const matching = principal.grants.filter((g) => rule.roles.includes(g.role));
  if (matching.length === 0) return { allow: false, status: 403, reason: 'your role does not allow this' };
  if (rule.scope === 'network') return { allow: true };
  if (post === undefined) return { allow: false, status: 403, reason: 'this route names no post' };
  if (matching.some((g) => g.post === undefined || g.post === post)) return { allow: true };
  // Another post's object: answer as if it did not exist.
  return { allow: false, status: 404, reason: `no post "${post}"` };
}

/** The posts whose objects the principal may see with one of these roles: all, or a set. */
export function visiblePosts(principal: Principal, roles: readonly Role[]): 'all' | ReadonlySet<string> {
  const matching = principal.grants.filter((g) => roles.includes(g.role));
  if (matching.some((g) => g.post === undefined)) return 'all';
  return new Set(matching.map((g) => g.post as string));
}
