import type { AccessRule } from '../core/access';
import { ROLES, type Role } from '../core/roles';

/**
 * Every HTTP route, in one table: the local router, the CDK HTTP API, the
 * authorisation pipeline and `missive routes` all read it. Each route states its
 * access rule; a request whose route has no rule is refused (deny by default).
 */

/**
 * The HTTP handlers (one Lambda each on AWS) and the operations each serves. Every
 * route names one operation; a handler module implements `OperationsOf<its name>`,
 * so the compiler refuses a route whose operation has no code.
 */
export interface HandlerOperations {
  health: 'checkHealth';
  posts: 'listPosts' | 'getPost';
  subscriptions: 'listSubscriptions' | 'postLists';
  audit: 'postAudit' | 'networkAudit';
  content: 'searchContent' | 'getContent' | 'syncContent' | 'contentWording';
  editions:
    | 'listEditions'
    | 'createEdition'
    | 'getEdition'
    | 'updateEdition'
    | 'cloneEdition'
    | 'submitEdition'
    | 'approveEdition'
    | 'sendBackEdition'
    | 'scheduleEdition'
    | 'cancelEdition'
    | 'previewVariant'
    | 'testSend'
    | 'sendNow'
    | 'sendProgress'
    | 'listHqEditions'
    | 'cloneHqEdition';
  unsubscribe: 'unsubscribePage' | 'unsubscribe' | 'preferencesPage' | 'savePreferences';
  reader: 'webVersion' | 'trackedLink' | 'openPixel' | 'webManageHelp';
  crisis: 'sendCrisisAlert';
  layouts: 'listLayouts' | 'registerLayout';
  'subscribers-import': 'importSubscribers';
  subscribe: 'subscribeForm' | 'subscribe' | 'confirmPage' | 'confirm' | 'addSubscriber';
  'subscribers-admin':
    | 'listSubscribers'
    | 'exportSubscribers'
    | 'removeSubscriber'
    | 'listSuppressions'
    | 'addSuppression'
    | 'removeSuppression'
    | 'personalData'
    | 'erasePerson';
  reports: 'editionReport' | 'postReport' | 'networkReport' | 'audienceReport' | 'storyReport';
  'ses-sns': 'receiveSnsMessage';
}

export type HandlerName = keyof HandlerOperations;
export type OperationOf<H extends HandlerName> = HandlerOperations[H];
export type Operation = OperationOf<HandlerName>;

interface RouteBase {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path template: /posts/{code} */
  readonly path: string;
  readonly access: AccessRule;
  readonly summary: string;
}

/** A route: its handler, and one of that handler's operations (a mismatch does not compile). */
export type RouteDefinition = {
  [H in HandlerName]: RouteBase & { readonly handler: H; readonly operation: OperationOf<H> };
}[HandlerName];

const ALL_STAFF: readonly Role[] = ROLES;
/** Who composes or reviews editions and so reads central content. */
const COMPOSERS: readonly Role[] = ['post-editor', 'post-approver', 'hq-editor', 'spokesperson', 'admin'];
/** Who may read a post's editions, write them, approve them. */
const EDITION_READERS: readonly Role[] = [
  'post-editor',
  'post-approver',
  'hq-editor',
  'spokesperson',
  'admin',
];
const EDITION_WRITERS: readonly Role[] = ['post-editor', 'hq-editor', 'admin'];
const APPROVERS: readonly Role[] = ['post-approver', 'spokesperson', 'admin'];
/** Usage reports: analysts (of a post, or network-wide), HQ and admins; post editors their editions'. */
const REPORT_READERS: readonly Role[] = ['analyst', 'hq-editor', 'spokesperson', 'admin'];
const REPORT_EDITION_READERS: readonly Role[] = [...REPORT_READERS, 'post-editor'];

const edition = (
  method: RouteBase['method'],
  suffix: string,
  operation: OperationOf<'editions'>,
  roles: readonly Role[],
  summary: string,
): RouteDefinition => ({
  method,
  path: `/posts/{code}/editions${suffix}`,
  handler: 'editions',
  operation,
  access: { kind: 'staff', roles, scope: 'post' },
  summary,
});

const PUBLIC: AccessRule = { kind: 'public' };
const staff = (roles: readonly Role[], scope: 'post' | 'network'): AccessRule => ({
  kind: 'staff',
  roles,
  scope,
});

export const ROUTES: readonly RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    handler: 'health',
    operation: 'checkHealth',
    access: PUBLIC,
    summary: 'Status of each component',
  },
  {
    method: 'GET',
    path: '/posts',
    handler: 'posts',
    operation: 'listPosts',
    access: staff(ALL_STAFF, 'network'),
    summary: 'The posts the caller works for (all of them for network-wide roles)',
  },
  {
    method: 'GET',
    path: '/posts/{code}',
    handler: 'posts',
    operation: 'getPost',
    access: staff(ALL_STAFF, 'post'),
    summary: 'One post with its audiences',
  },
  {
    method: 'GET',
    path: '/posts/{code}/subscriptions',
    handler: 'subscriptions',
    operation: 'listSubscriptions',
    access: staff(['post-editor', 'analyst', 'admin'], 'post'),
    summary: "A post's subscriptions, by status, paginated",
  },
  // Counts, never people: the post's staff and network-wide readers (analysts, spokesperson, admins).
  {
    method: 'GET',
    path: '/posts/{code}/lists',
    handler: 'subscriptions',
    operation: 'postLists',
    access: staff(['post-editor', 'post-approver', 'analyst', 'spokesperson', 'admin'], 'post'),
    summary:
      "A post's lists: confirmed subscribers per audience × language, growth per month and sent editions' results (12 months)",
  },
  {
    method: 'GET',
    path: '/posts/{code}/audit',
    handler: 'audit',
    operation: 'postAudit',
    access: staff(['post-editor', 'post-approver', 'admin'], 'post'),
    summary: "A post's audit trail, newest first",
  },
  {
    method: 'GET',
    path: '/audit',
    handler: 'audit',
    operation: 'networkAudit',
    access: staff(['admin', 'spokesperson'], 'network'),
    summary: 'The network-wide audit trail (HQ broadcasts, network reports)',
  },
  edition('GET', '', 'listEditions', EDITION_READERS, "A post's editions, newest first"),
  edition(
    'POST',
    '',
    'createEdition',
    EDITION_WRITERS,
    'Create an edition (JSON: title, sensitive, variants)',
  ),
  edition('GET', '/{id}', 'getEdition', EDITION_READERS, 'One edition with its variants'),
  edition(
    'PUT',
    '/{id}',
    'updateEdition',
    EDITION_WRITERS,
    'Replace an edition (sends an approved one back to review)',
  ),
  edition('POST', '/{id}/clone', 'cloneEdition', EDITION_WRITERS, 'Copy an edition as a new draft'),
  edition(
    'POST',
    '/{id}/submit',
    'submitEdition',
    EDITION_WRITERS,
    'Submit for review (or approve, when none is needed)',
  ),
  edition('POST', '/{id}/approve', 'approveEdition', APPROVERS, 'Approve (not by its author)'),
  edition(
    'POST',
    '/{id}/send-back',
    'sendBackEdition',
    APPROVERS,
    'Send an edition in review back to draft with a comment ({"comment"}), kept on the edition',
  ),
  edition(
    'POST',
    '/{id}/schedule',
    'scheduleEdition',
    EDITION_WRITERS,
    'Schedule an approved edition ({"at": "2027-01-05T09:00"}, the post\'s local time unless it has an offset; default now); answers scheduledFor: local time with zone, and UTC',
  ),
  edition(
    'POST',
    '/{id}/cancel',
    'cancelEdition',
    ['post-editor', 'post-approver', 'hq-editor', 'admin'],
    'Cancel before sending',
  ),
  edition('GET', '/{id}/preview', 'previewVariant', EDITION_READERS, 'A variant as HTML (?audience=&lang=)'),
  edition(
    'POST',
    '/{id}/test-send',
    'testSend',
    EDITION_WRITERS,
    'Send a variant to a few addresses ({"to", "audience", "lang"})',
  ),
  edition('POST', '/{id}/send', 'sendNow', EDITION_WRITERS, 'Send an approved edition now'),
  edition(
    'GET',
    '/{id}/progress',
    'sendProgress',
    EDITION_READERS,
    "A send's progress: queued, sent, skipped, failed, remaining",
  ),
  {
    method: 'POST',
    path: '/crisis',
    handler: 'crisis',
    operation: 'sendCrisisAlert',
    access: staff(['spokesperson', 'admin'], 'network'),
    summary: 'Crisis alert to the consular audience of one or more posts, ahead of every queued newsletter',
  },
  {
    method: 'GET',
    path: '/posts/{code}/hq-editions',
    handler: 'editions',
    operation: 'listHqEditions',
    access: staff(['post-editor', 'admin'], 'post'),
    summary: 'Published HQ editions the post can clone and personalise',
  },
  {
    method: 'POST',
    path: '/posts/{code}/hq-editions/{id}/clone',
    handler: 'editions',
    operation: 'cloneHqEdition',
    access: staff(['post-editor', 'admin'], 'post'),
    summary: 'Clone a published HQ edition into the post: one variant per audience and shared language',
  },
  {
    method: 'GET',
    path: '/layouts',
    handler: 'layouts',
    operation: 'listLayouts',
    access: staff(COMPOSERS, 'network'),
    summary: 'Email layouts: built in and registered by headquarters',
  },
  {
    method: 'POST',
    path: '/layouts',
    handler: 'layouts',
    operation: 'registerLayout',
    access: staff(['hq-editor', 'admin'], 'network'),
    summary: 'Register an MJML layout (checked: slots, Handlebars, MJML validation) ({"name", "source"})',
  },
  {
    method: 'GET',
    path: '/content',
    handler: 'content',
    operation: 'searchContent',
    access: staff(COMPOSERS, 'network'),
    summary: 'Central content by language, kind, date range and title words, newest first',
  },
  {
    method: 'GET',
    path: '/content/{id}',
    handler: 'content',
    operation: 'getContent',
    access: staff(COMPOSERS, 'network'),
    summary: 'One central content item',
  },
  // The on-the-record rule: HQ (its editors, the spokesperson) sees every post's rewording.
  {
    method: 'GET',
    path: '/content/{id}/wording',
    handler: 'content',
    operation: 'contentWording',
    access: staff(['hq-editor', 'spokesperson', 'admin'], 'network'),
    summary:
      "Each post's edition that words a central item (or its story, in every language) its own way, with the word-level difference from HQ's text",
  },
  {
    method: 'POST',
    path: '/content/sync',
    handler: 'content',
    operation: 'syncContent',
    access: staff(['hq-editor', 'admin'], 'network'),
    summary: 'Pull every central content feed now',
  },
  {
    method: 'GET',
    path: '/unsubscribe',
    handler: 'unsubscribe',
    operation: 'unsubscribePage',
    access: PUBLIC,
    summary: 'Unsubscribe page for a signed link (asks to confirm: mail scanners follow GET links)',
  },
  {
    method: 'POST',
    path: '/unsubscribe',
    handler: 'unsubscribe',
    operation: 'unsubscribe',
    access: PUBLIC,
    summary: 'Unsubscribe by signed link: the page button and RFC 8058 one-click',
  },
  {
    method: 'GET',
    path: '/preferences',
    handler: 'unsubscribe',
    operation: 'preferencesPage',
    access: PUBLIC,
    summary: "A subscriber's subscriptions at a post, by signed link, with unsubscribe buttons",
  },
  {
    method: 'POST',
    path: '/preferences',
    handler: 'unsubscribe',
    operation: 'savePreferences',
    access: PUBLIC,
    summary: "Apply the preference centre's form (name, language, the post's audiences), by signed link",
  },
  {
    method: 'GET',
    path: '/web',
    handler: 'reader',
    operation: 'webVersion',
    access: PUBLIC,
    summary: 'Web version of the variant a reader received (signed read link)',
  },
  // A web version may be forwarded: its preference and unsubscribe links explain, they act on no one.
  {
    method: 'GET',
    path: '/web/manage',
    handler: 'reader',
    operation: 'webManageHelp',
    access: PUBLIC,
    summary:
      "Where a web version's preferences and unsubscribe links lead: use the links of the email (?lang=)",
  },
  {
    method: 'GET',
    path: '/r/{token}/{n}',
    handler: 'reader',
    operation: 'trackedLink',
    access: PUBLIC,
    summary: "Tracked link: redirect to the edition's n-th link (signed read link)",
  },
  // Link scanners check links with HEAD: answered (and counted as a machine), never followed.
  {
    method: 'HEAD',
    path: '/r/{token}/{n}',
    handler: 'reader',
    operation: 'trackedLink',
    access: PUBLIC,
    summary: 'Tracked link checked by a scanner (HEAD): the same redirect, counted as a machine',
  },
  {
    method: 'GET',
    path: '/o/{pixel}',
    handler: 'reader',
    operation: 'openPixel',
    access: PUBLIC,
    summary: 'Open pixel (/o/<read token>.gif): a 1x1 GIF, never cached; counts an open',
  },
  {
    method: 'GET',
    path: '/posts/{code}/subscribe',
    handler: 'subscribe',
    operation: 'subscribeForm',
    access: PUBLIC,
    summary: "A post's subscribe form (?lang=): audiences, language, name, email; no JavaScript",
  },
  {
    method: 'POST',
    path: '/posts/{code}/subscribe',
    handler: 'subscribe',
    operation: 'subscribe',
    access: PUBLIC,
    summary: 'Ask to subscribe (form-encoded or JSON): mails a confirmation link; the answer never says more',
  },
  {
    method: 'GET',
    path: '/confirm',
    handler: 'subscribe',
    operation: 'confirmPage',
    access: PUBLIC,
    summary: 'Confirmation page for a signed link (asks to confirm: mail scanners follow GET links)',
  },
  {
    method: 'POST',
    path: '/confirm',
    handler: 'subscribe',
    operation: 'confirm',
    access: PUBLIC,
    summary: 'Confirm a subscription by signed link; mails the welcome message',
  },
  {
    method: 'POST',
    path: '/posts/{code}/subscribers',
    handler: 'subscribe',
    operation: 'addSubscriber',
    access: staff(['post-editor', 'admin'], 'post'),
    summary:
      'Add one person ({"email", "audiences", "language", "name"}): mails them a confirmation (audited)',
  },
  // Staff on a post's people: post editors of that post and admins; every read audited.
  {
    method: 'GET',
    path: '/posts/{code}/subscribers',
    handler: 'subscribers-admin',
    operation: 'listSubscribers',
    access: staff(['post-editor', 'admin'], 'post'),
    summary: "List or search a post's people (?status=&audience=&lang=&q=&limit=&cursor=), audited",
  },
  {
    method: 'GET',
    path: '/posts/{code}/subscribers/export',
    handler: 'subscribers-admin',
    operation: 'exportSubscribers',
    access: staff(['post-editor', 'admin'], 'post'),
    summary: "The post's list as CSV (?status=&audience=&lang=&q=), audited as subscribers.exported",
  },
  {
    method: 'DELETE',
    path: '/posts/{code}/subscribers/{id}',
    handler: 'subscribers-admin',
    operation: 'removeSubscriber',
    access: staff(['post-editor', 'admin'], 'post'),
    summary: 'Remove one person from the post: their subscriptions there become unsubscribed (audited)',
  },
  // Suppressions are network-wide and name people of every post: admins only (docs/data-model.md).
  {
    method: 'GET',
    path: '/suppressions',
    handler: 'subscribers-admin',
    operation: 'listSuppressions',
    access: staff(['admin'], 'network'),
    summary: 'Suppressed addresses, newest first (?reason=bounce|complaint|manual|erased&limit=&cursor=)',
  },
  {
    method: 'POST',
    path: '/suppressions',
    handler: 'subscribers-admin',
    operation: 'addSuppression',
    access: staff(['admin'], 'network'),
    summary: 'Suppress an address for every post ({"email", "reason"}), audited',
  },
  {
    method: 'POST',
    path: '/suppressions/remove',
    handler: 'subscribers-admin',
    operation: 'removeSuppression',
    access: staff(['admin'], 'network'),
    summary: 'Lift a suppression ({"email", "reason"}; the address stays out of URLs and logs), audited',
  },
  // GDPR: the address travels in the body, never in a URL (access logs keep URLs).
  {
    method: 'POST',
    path: '/subscribers/access',
    handler: 'subscribers-admin',
    operation: 'personalData',
    access: staff(['admin'], 'network'),
    summary: 'Right of access: everything held about one address, from every table ({"email"}), audited',
  },
  {
    method: 'POST',
    path: '/subscribers/erase',
    handler: 'subscribers-admin',
    operation: 'erasePerson',
    access: staff(['admin'], 'network'),
    summary: 'Erase one person from every table; only a keyed hash stays, as a suppression ({"email"})',
  },
  {
    method: 'POST',
    path: '/posts/{code}/subscribers/import',
    handler: 'subscribers-import',
    operation: 'importSubscribers',
    access: staff(['post-editor', 'admin'], 'post'),
    summary:
      'Import a list: the body is a CSV or a Mailchimp export ZIP (at most 4 MiB); ?audience=&format=&map=&status=&dryRun=&name= as the CLI; audited',
  },
  // Public, but only SNS gets through: the message's signature and topic are its credentials.
  {
    method: 'POST',
    path: '/ses/events',
    handler: 'ses-sns',
    operation: 'receiveSnsMessage',
    access: PUBLIC,
    summary:
      'SES events from an SNS topic subscribed over HTTPS: verified signature and topic, or 403 and nothing recorded',
  },
  // Usage reports (?format=json|csv|html|table, ?from=&to=, ?bom=1, ?lang=en|fr|nl):
  // every answer is audited as report.exported.
  {
    method: 'GET',
    path: '/posts/{code}/reports/editions/{id}',
    handler: 'reports',
    operation: 'editionReport',
    access: staff(REPORT_EDITION_READERS, 'post'),
    summary: "One edition's report: per variant, per link, the 7 days after the send (audited)",
  },
  {
    method: 'GET',
    path: '/posts/{code}/reports',
    handler: 'reports',
    operation: 'postReport',
    access: staff(REPORT_READERS, 'post'),
    summary: "A post's report over a period: editions, monthly trend, list growth, benchmarks (audited)",
  },
  {
    method: 'GET',
    path: '/reports/network',
    handler: 'reports',
    operation: 'networkReport',
    access: staff(REPORT_READERS, 'network'),
    summary:
      'The network report: posts ranked and benchmarked, adoption, crisis alerts (network-wide roles; audited)',
  },
  {
    method: 'GET',
    path: '/reports/audiences/{kind}',
    handler: 'reports',
    operation: 'audienceReport',
    access: staff(REPORT_READERS, 'network'),
    summary: 'An audience kind or a language across the network (network-wide roles; audited)',
  },
  {
    method: 'GET',
    path: '/reports/stories',
    handler: 'reports',
    operation: 'storyReport',
    access: staff(REPORT_READERS, 'network'),
    summary: 'A central story (?id=item or story id), or the leaderboard of stories and kinds (audited)',
  },
];

export const routeKey = (r: Pick<RouteDefinition, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export const ROUTES_BY_KEY: ReadonlyMap<string, RouteDefinition> = new Map(
  ROUTES.map((r) => [routeKey(r), r]),
);

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
