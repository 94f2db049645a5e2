import type { TableId } from '../../functions/adapters/dynamodb/tables';
import type { RouteDefinition } from '../../functions/http/routes';

/** A function behind routes of the route table (one Lambda per handler). */
export type HttpFunctionName = RouteDefinition['handler'];
/** Functions no route reaches: queue consumers, schedules, SES events. */
export type BackgroundFunctionName =
  | 'dispatch'
  | 'send-worker'
  | 'scheduler'
  | 'ses-events'
  | 'content-sync'
  | 'report-digest';
/** Every Lambda of the service; each is a file under functions/handlers/. */
export type FunctionName = HttpFunctionName | BackgroundFunctionName;

export const QUEUE_NAMES = ['dispatch', 'send', 'crisis', 'engagement'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface FunctionNeeds {
  /** Tables it reads ('read') or reads and writes ('write'). */
  readonly tables: Partial<Record<TableId, 'read' | 'write'>>;
  /** Queues it sends to. Default: none. */
  readonly queues?: readonly QueueName[];
  /**
   * 'quota': ses:GetSendQuota; 'send': that and ses:SendRawEmail on the domain
   * identity and configuration set. Default: no SES action.
   */
  readonly ses?: 'quota' | 'send';
  /** dynamodb:DescribeTable on every table (the health check probes them). Default: false. */
  readonly describeTables?: boolean;
}

/**
 * What each function may touch. Grants are made from this map only; nothing gets
 * "*" except ses:GetSendQuota, which has no resource-level permissions. Keyed by
 * every function name, so a function added without an entry does not compile
 * (it would otherwise deploy with no grants and fail at its first call).
 */
/**
 * What recording engagement touches (engagement/record.ts): raw events and marks (events),
 * counters (stats), suppressions; a hard bounce or complaint unsubscribes the person
 * everywhere (subscribers); audience kinds (directory); a variant's stories, from its
 * links item (editions).
 */
const RECORDS_ENGAGEMENT: FunctionNeeds['tables'] = {
  events: 'write',
  suppressions: 'write',
  stats: 'write',
  subscribers: 'write',
  directory: 'read',
  editions: 'read',
};

export const NEEDS: Record<FunctionName, FunctionNeeds> = {
  health: { tables: {}, ses: 'quota', describeTables: true },
  posts: { tables: { directory: 'read' } },
  // Lists: subscriptions counted; the dashboard's growth and results from counters, posts and editions.
  subscriptions: { tables: { subscribers: 'read', stats: 'read', directory: 'read', editions: 'read' } },
  audit: { tables: { audit: 'read' } },
  // editions: the posts' own wording of central items (GET /content/{id}/wording).
  content: { tables: { content: 'write', editions: 'read' } },
  editions: {
    tables: { editions: 'write', directory: 'read', content: 'read', audit: 'write', stats: 'write' },
    queues: ['dispatch'],
    ses: 'send',
  },
  // stats: list growth counters (reports).
  unsubscribe: { tables: { subscribers: 'write', directory: 'read', stats: 'write' } },
  // Pending subscriptions and rate windows; consent texts (directory); latest sent edition for the welcome.
  subscribe: {
    tables: {
      subscribers: 'write',
      directory: 'write',
      suppressions: 'read',
      editions: 'read',
      audit: 'write',
      stats: 'write',
    },
    ses: 'send',
  },
  // Imports: people found by address and written, subscriptions, suppressions (cleaned); audited.
  'subscribers-import': {
    tables: { subscribers: 'write', suppressions: 'write', directory: 'read', audit: 'write' },
  },
  // Opens, clicks and web views go to the engagement queue; the click reads a variant's links.
  reader: { tables: { editions: 'write', directory: 'read', content: 'read' }, queues: ['engagement'] },
  // Counts the consular members (subscribers) before sending, then queues their batches itself.
  crisis: {
    tables: { editions: 'write', directory: 'read', subscribers: 'read', audit: 'write', stats: 'write' },
    queues: ['crisis'],
  },
  'content-sync': { tables: { content: 'write' } },
  // sends: a stalled edition is finished only once its send records are all settled (a Scan).
  scheduler: {
    tables: { editions: 'write', audit: 'write', stats: 'write', sends: 'read' },
    queues: ['dispatch'],
  },
  dispatch: {
    tables: { editions: 'read', subscribers: 'read', stats: 'write' },
    queues: ['dispatch', 'send', 'crisis'],
  },
  layouts: { tables: { directory: 'write' } },
  // Staff on people and GDPR erasure: deletes a person's send records and events, redacts audit entries.
  'subscribers-admin': {
    tables: { subscribers: 'write', suppressions: 'write', sends: 'write', events: 'write', audit: 'write' },
  },
  'ses-events': { tables: RECORDS_ENGAGEMENT },
  // Usage reports read counters, posts, editions and their renders, content; each export is audited.
  reports: {
    tables: { stats: 'read', directory: 'read', editions: 'read', content: 'read', audit: 'write' },
  },
  // The monthly digest: the reports' reads, each message audited, mailed through SES.
  'report-digest': {
    tables: { stats: 'read', directory: 'read', editions: 'read', content: 'read', audit: 'write' },
    ses: 'send',
  },
  // POST /ses/events runs the same recordSesEvents as ses-events.
  'ses-sns': { tables: RECORDS_ENGAGEMENT },
  'send-worker': {
    tables: {
      editions: 'write',
      directory: 'read',
      content: 'read',
      subscribers: 'read',
      suppressions: 'read',
      sends: 'write',
      stats: 'write',
      events: 'read',
    },
    ses: 'send',
  },
};

export const FUNCTION_NAMES = Object.keys(NEEDS) as FunctionName[];
