import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../functions/core/access';
import type { Role } from '../../functions/core/roles';
import { signLink } from '../../functions/core/signed-links';
import { variantRender } from '../../functions/editions/service';
import { ROUTES, routeKey } from '../../functions/http/routes';
import type { LocalStack } from '../../functions/local/stack';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/**
 * Every route x every kind of caller. The expected rules are written here, apart
 * from the route table: a route added without its rule here fails the first test,
 * and a rule changed in the table without intent fails the matrix.
 */
const ALL: Role[] = ['post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'analyst', 'admin'];
type Expected = 'public' | { roles: Role[]; scope: 'post' | 'network' };
const READERS: Role[] = ['post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'];
const WRITERS: Role[] = ['post-editor', 'hq-editor', 'admin'];
const EXPECTED: Record<string, Expected> = {
  'GET /health': 'public',
  'GET /posts': { roles: ALL, scope: 'network' },
  'GET /posts/{code}': { roles: ALL, scope: 'post' },
  'GET /posts/{code}/subscriptions': { roles: ['post-editor', 'analyst', 'admin'], scope: 'post' },
  'GET /posts/{code}/lists': {
    roles: ['post-editor', 'post-approver', 'analyst', 'spokesperson', 'admin'],
    scope: 'post',
  },
  'GET /posts/{code}/audit': { roles: ['post-editor', 'post-approver', 'admin'], scope: 'post' },
  'GET /audit': { roles: ['admin', 'spokesperson'], scope: 'network' },
  'GET /content': {
    roles: ['post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'],
    scope: 'network',
  },
  'GET /content/{id}': {
    roles: ['post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'],
    scope: 'network',
  },
  'GET /content/{id}/wording': { roles: ['hq-editor', 'spokesperson', 'admin'], scope: 'network' },
  'POST /content/sync': { roles: ['hq-editor', 'admin'], scope: 'network' },
  'GET /posts/{code}/editions': { roles: READERS, scope: 'post' },
  'POST /posts/{code}/editions': { roles: WRITERS, scope: 'post' },
  'GET /posts/{code}/editions/{id}': { roles: READERS, scope: 'post' },
  'PUT /posts/{code}/editions/{id}': { roles: WRITERS, scope: 'post' },
  'POST /posts/{code}/editions/{id}/clone': { roles: WRITERS, scope: 'post' },
  'POST /posts/{code}/editions/{id}/submit': { roles: WRITERS, scope: 'post' },
  'POST /posts/{code}/editions/{id}/approve': {
    roles: ['post-approver', 'spokesperson', 'admin'],
    scope: 'post',
  },
  'POST /posts/{code}/editions/{id}/send-back': {
    roles: ['post-approver', 'spokesperson', 'admin'],
    scope: 'post',
  },
  'POST /posts/{code}/editions/{id}/schedule': { roles: WRITERS, scope: 'post' },
  'POST /posts/{code}/editions/{id}/cancel': {
    roles: ['post-editor', 'post-approver', 'hq-editor', 'admin'],
    scope: 'post',
  },
  'GET /posts/{code}/editions/{id}/preview': { roles: READERS, scope: 'post' },
  'POST /posts/{code}/editions/{id}/test-send': { roles: WRITERS, scope: 'post' },
  'POST /posts/{code}/editions/{id}/send': { roles: WRITERS, scope: 'post' },
  'GET /posts/{code}/editions/{id}/progress': { roles: READERS, scope: 'post' },
  'POST /crisis': { roles: ['spokesperson', 'admin'], scope: 'network' },
  'GET /layouts': {
    roles: ['post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'],
    scope: 'network',
  },
  'POST /layouts': { roles: ['hq-editor', 'admin'], scope: 'network' },
  'GET /posts/{code}/hq-editions': { roles: ['post-editor', 'admin'], scope: 'post' },
  'POST /posts/{code}/hq-editions/{id}/clone': { roles: ['post-editor', 'admin'], scope: 'post' },
  'GET /unsubscribe': 'public',
  'GET /preferences': 'public',
  'GET /web': 'public',
  'GET /web/manage': 'public',
  'GET /r/{token}/{n}': 'public',
  'HEAD /r/{token}/{n}': 'public',
  'GET /o/{pixel}': 'public',
  'POST /unsubscribe': 'public',
  'POST /preferences': 'public',
  'GET /posts/{code}/subscribe': 'public',
  'POST /posts/{code}/subscribe': 'public',
  'GET /confirm': 'public',
  'POST /confirm': 'public',
  'POST /ses/events': 'public',
  'POST /posts/{code}/subscribers': { roles: ['post-editor', 'admin'], scope: 'post' },
  'POST /posts/{code}/subscribers/import': { roles: ['post-editor', 'admin'], scope: 'post' },
  'GET /posts/{code}/subscribers': { roles: ['post-editor', 'admin'], scope: 'post' },
  'GET /posts/{code}/subscribers/export': { roles: ['post-editor', 'admin'], scope: 'post' },
  'DELETE /posts/{code}/subscribers/{id}': { roles: ['post-editor', 'admin'], scope: 'post' },
  'GET /suppressions': { roles: ['admin'], scope: 'network' },
  'POST /suppressions': { roles: ['admin'], scope: 'network' },
  'POST /suppressions/remove': { roles: ['admin'], scope: 'network' },
  'POST /subscribers/access': { roles: ['admin'], scope: 'network' },
  'POST /subscribers/erase': { roles: ['admin'], scope: 'network' },
  'GET /posts/{code}/reports/editions/{id}': {
    roles: ['analyst', 'hq-editor', 'spokesperson', 'admin', 'post-editor'],
    scope: 'post',
  },
  'GET /posts/{code}/reports': { roles: ['analyst', 'hq-editor', 'spokesperson', 'admin'], scope: 'post' },
  'GET /reports/network': { roles: ['analyst', 'hq-editor', 'spokesperson', 'admin'], scope: 'network' },
  'GET /reports/audiences/{kind}': {
    roles: ['analyst', 'hq-editor', 'spokesperson', 'admin'],
    scope: 'network',
  },
  'GET /reports/stories': { roles: ['analyst', 'hq-editor', 'spokesperson', 'admin'], scope: 'network' },
};

/** Network-wide reports: the role must be held network-wide (or be HQ's): an analyst of one post gets 403. */
const NETWORK_REPORTS = new Set([
  'GET /reports/network',
  'GET /reports/audiences/{kind}',
  'GET /reports/stories',
]);

const ROLE_CALLERS: { name: string; grants: Grant[] }[] = [
  { name: 'post-editor of tokyo', grants: [{ role: 'post-editor', post: 'tokyo' }] },
  { name: 'post-approver of tokyo', grants: [{ role: 'post-approver', post: 'tokyo' }] },
  { name: 'analyst of tokyo', grants: [{ role: 'analyst', post: 'tokyo' }] },
  { name: 'network analyst', grants: [{ role: 'analyst' }] },
  { name: 'hq-editor', grants: [{ role: 'hq-editor', post: 'hq' }] },
  { name: 'spokesperson', grants: [{ role: 'spokesperson' }] },
  { name: 'admin', grants: [{ role: 'admin' }] },
  { name: 'post-editor of washington (another post)', grants: [{ role: 'post-editor', post: 'washington' }] },
  { name: 'signed in with no group', grants: [] },
];

let stack: LocalStack;
let unsubscribeToken: string;
let readToken: string;
let contentId: string;
let editionId: string;
let hqEditionId: string;
/** A confirm link of someone already confirmed: every POST /confirm answers 200, mailing nothing. */
let confirmToken: string;
/** A Tokyo person the staff "remove" route may act on (not the one the links above name). */
let removableId: string;

beforeAll(async () => {
  stack = await startSeededStack();
  const tokyo = await stack.ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'confirmed', { limit: 1 });
  const first = tokyo.items[0];
  if (!first) throw new Error('the seeds hold no confirmed Tokyo subscriber');
  editionId = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0]?.id ?? 'none';
  const content = await stack.ctx.content.content.query({ language: 'en', limit: 1 });
  contentId = content.items[0]?.id ?? 'none';
  editionId = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0]?.id ?? 'none';
  hqEditionId = (await stack.ctx.repos.editions.listByPost('hq')).items[0]?.id ?? 'none';
  const two = await stack.ctx.repos.subscribers.subscriptionsOfPost('tokyo', 'confirmed', { limit: 50 });
  removableId = two.items.find((s) => s.subscriberId !== first.subscriberId)?.subscriberId ?? 'none';
  // A read link comes from a message, whose variant was rendered for it: the reader shows that render.
  const edition = await stack.ctx.repos.editions.get(editionId);
  if (edition) await variantRender(stack.ctx.editions, edition, 'economic', 'en');
  readToken = signLink(
    { p: 'read', s: first.subscriberId, o: 'tokyo', a: 'economic', g: 'en', e: editionId },
    stack.ctx.settings.signingKeys,
  );
  unsubscribeToken = signLink(
    { p: 'manage', s: first.subscriberId, o: 'tokyo', a: first.audience },
    stack.ctx.settings.signingKeys,
  );
  await stack.ctx.repos.subscribers.putSubscription({
    subscriberId: 'sub_access_confirmed',
    post: 'tokyo',
    audience: 'economic',
    language: 'en',
    status: 'confirmed',
    updatedAt: new Date().toISOString(),
  });
  confirmToken = signLink(
    { p: 'confirm', s: 'sub_access_confirmed', o: 'tokyo', g: 'en' },
    stack.ctx.settings.signingKeys,
  );
});
afterAll(async () => stack?.stop());

function request(method: string, path: string, headers: Record<string, string> = {}) {
  // The subscribe form as a person posts it (without the form's stamp: answered, nothing sent).
  if (method === 'POST' && path === '/posts/{code}/subscribe') {
    return fetch(`${stack.urls.api}/posts/tokyo/subscribe`, {
      method,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=access.test%40example.org&audiences=economic',
    });
  }
  const id = path.startsWith('/content')
    ? contentId
    : path === '/posts/{code}/subscribers/{id}'
      ? removableId
      : path.includes('/hq-editions/')
        ? hqEditionId
        : editionId;
  const url = new URL(
    stack.urls.api +
      path
        .replace('{code}', 'tokyo')
        .replace('{id}', id)
        .replace('{token}', encodeURIComponent(readToken))
        .replace('{n}', '0'),
  );
  if (path === '/web') url.searchParams.set('token', readToken);
  if (path === '/preferences') url.searchParams.set('token', unsubscribeToken);
  if (path.endsWith('/preview')) {
    url.searchParams.set('audience', 'economic');
    url.searchParams.set('lang', 'en');
  }
  if (path === '/unsubscribe') url.searchParams.set('token', unsubscribeToken);
  if (path === '/content') url.searchParams.set('lang', 'en');
  if (path === '/confirm') url.searchParams.set('token', confirmToken);
  const oneClick = method === 'POST' && path === '/unsubscribe';
  // The preference centre posts a plain HTML form.
  const prefsForm = method === 'POST' && path === '/preferences';
  const withJson = (method === 'POST' || method === 'PUT') && !oneClick && !prefsForm;
  return fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      ...headers,
      ...(oneClick || prefsForm ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(withJson ? { 'content-type': 'application/json' } : {}),
    },
    ...(oneClick
      ? { body: 'List-Unsubscribe=One-Click' }
      : prefsForm
        ? { body: 'language=en' }
        : withJson
          ? { body: '{}' }
          : {}),
  });
}

/** Public routes whose credential is an SNS signature: a staff token or none, a bare request gets 403. */
const SNS_SIGNED = new Set(['POST /ses/events']);

/** 'allowed': past authorisation (the domain may still answer 400/409/422 to a bare request). */
function expected(rule: Expected, grants: Grant[], key?: string): 'allowed' | 403 | 404 {
  if (rule === 'public') return 'allowed';
  const matching = grants.filter((g) => rule.roles.includes(g.role));
  if (matching.length === 0) return 403;
  if (rule.scope === 'network') {
    if (key !== undefined && NETWORK_REPORTS.has(key) && !matching.some((g) => !g.post || g.post === 'hq'))
      return 403;
    return 'allowed';
  }
  return matching.some((g) => !g.post || g.post === 'tokyo') ? 'allowed' : 404;
}

describe('access control on every route', () => {
  it('has an expected rule for every route in the table (a new route must be added here)', () => {
    const missing = ROUTES.map(routeKey).filter((k) => !(k in EXPECTED));
    expect(missing).toEqual([]);
    for (const route of ROUTES) {
      const rule = EXPECTED[routeKey(route)];
      if (rule === 'public') expect(route.access).toEqual({ kind: 'public' });
      else expect(route.access).toEqual({ kind: 'staff', roles: rule?.roles, scope: rule?.scope });
    }
  });

  for (const route of ROUTES) {
    const key = routeKey(route);
    it(`${key}: each role gets what its rule allows`, async () => {
      const rule = EXPECTED[key] as Expected;
      for (const caller of ROLE_CALLERS) {
        const res = await request(route.method, route.path, bearer(await tokenFor(stack, caller.grants)));
        const want = expected(rule, caller.grants, key);
        if (SNS_SIGNED.has(key)) {
          expect(res.status, `${key} as ${caller.name}`).toBe(403);
        } else if (want === 'allowed') {
          expect([401, 403, 404], `${key} as ${caller.name}: ${res.status}`).not.toContain(res.status);
          expect(res.status, `${key} as ${caller.name}`).toBeLessThan(500);
        } else {
          expect(res.status, `${key} as ${caller.name}`).toBe(want);
        }
      }
    });

    it(`${key}: no token, expired, forged or malformed token`, async () => {
      const rule = EXPECTED[key] as Expected;
      const admin: Grant[] = [{ role: 'admin' }];
      const expired = await tokenFor(stack, admin, { ttlSeconds: 60, now: new Date(Date.now() - 3600_000) });
      const valid = await tokenFor(stack, admin);
      const [h, p] = valid.split('.');
      const forged = `${h}.${p}.${Buffer.from('not the signature at all, really').toString('base64url')}`;
      const cases: [string, Record<string, string>][] = [
        ['no token', {}],
        ['expired token', bearer(expired)],
        ['forged token', bearer(forged)],
        ['malformed header', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ];
      for (const [name, headers] of cases) {
        const res = await request(route.method, route.path, headers);
        if (SNS_SIGNED.has(key)) {
          expect(res.status, `${key} with ${name}`).toBe(403);
        } else if (rule === 'public') {
          expect(res.status, `${key} with ${name}`).toBeLessThan(400);
        } else {
          expect(res.status, `${key} with ${name}`).toBe(401);
          const body = (await res.json()) as { error: { code: string } };
          expect(body.error.code).toBe('unauthenticated');
        }
      }
    });
  }
});

describe('per-post isolation', () => {
  it("lists only the caller's posts; network roles see all", async () => {
    const list = async (grants: Grant[]) => {
      const res = await fetch(`${stack.urls.api}/posts`, { headers: bearer(await tokenFor(stack, grants)) });
      return ((await res.json()) as { posts: { code: string }[] }).posts.map((p) => p.code);
    };
    expect(await list([{ role: 'post-editor', post: 'tokyo' }])).toEqual(['tokyo']);
    expect(
      await list([
        { role: 'post-editor', post: 'tokyo' },
        { role: 'analyst', post: 'berlin' },
      ]),
    ).toEqual(['berlin', 'tokyo']);
    expect(await list([{ role: 'hq-editor' }])).toEqual(['hq']);
    expect(await list([{ role: 'spokesperson' }])).toHaveLength(9);
  });

  it("answers another post's objects exactly as objects that do not exist", async () => {
    const tokyoEditor = bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]));
    const other = await fetch(`${stack.urls.api}/posts/washington/subscriptions`, { headers: tokyoEditor });
    const none = await fetch(`${stack.urls.api}/posts/atlantis/subscriptions`, { headers: tokyoEditor });
    expect(other.status).toBe(404);
    expect(none.status).toBe(404);
    type ErrorBody = { error: { message: string } };
    const [a, b] = [(await other.json()) as ErrorBody, (await none.json()) as ErrorBody];
    expect(a.error.message.replace('washington', 'X')).toBe(b.error.message.replace('atlantis', 'X'));
  });

  it("gives a post's editor that post's subscriptions only", async () => {
    const res = await fetch(`${stack.urls.api}/posts/tokyo/subscriptions?limit=1000`, {
      headers: bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }])),
    });
    const { items } = (await res.json()) as { items: { post: string }[] };
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((s) => s.post === 'tokyo')).toBe(true);
  });
});
