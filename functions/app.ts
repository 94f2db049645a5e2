import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  cognitoAuthenticator,
  localAuthenticator,
  type StaffAuthenticator,
} from './adapters/auth/staff-tokens';
import { chartJsBundle } from './adapters/charts/chart-library';
import { DynamoAuditTrail } from './adapters/dynamodb/audit-repo';
import { createDynamoClients } from './adapters/dynamodb/client';
import { DynamoContentRepository } from './adapters/dynamodb/content-repo';
import { DynamoCounters } from './adapters/dynamodb/counters-repo';
import { DynamoEditionRepository } from './adapters/dynamodb/editions-repo';
import { DynamoEngagementStore } from './adapters/dynamodb/engagement-store';
import { DynamoLayoutRepository } from './adapters/dynamodb/layouts-repo';
import { DynamoSendLedger } from './adapters/dynamodb/ledger-repo';
import { DynamoPersonalData } from './adapters/dynamodb/personal-data';
import { DynamoPostRepository } from './adapters/dynamodb/posts-repo';
import { DynamoProgressStore } from './adapters/dynamodb/progress-repo';
import { DynamoSendRecords } from './adapters/dynamodb/sends-repo';
import { DynamoSettledSends } from './adapters/dynamodb/settled-sends';
import { DynamoSubscribeStore, latestSentEditions } from './adapters/dynamodb/subscribe-store';
import { DynamoSubscriberRepository } from './adapters/dynamodb/subscribers-repo';
import { DynamoSuppressionRepository, erasureKeys, keyedHash } from './adapters/dynamodb/suppressions-repo';
import { httpFeedFetcher } from './adapters/feeds/http-fetcher';
import { parseFeedDocument } from './adapters/feeds/parse';
import { describeTablesProbe, dynamoProbe, localSesProbe, sesQuotaProbe } from './adapters/health-probes';
import { counterListGrowth } from './adapters/list-growth';
import { emfSendMetrics } from './adapters/powertools/lambda';
import { createSesClient } from './adapters/ses/client';
import { type RawOutbox, sesMailer } from './adapters/ses/mailer';
import { sesQuota } from './adapters/ses/quota';
import { httpsGet } from './adapters/sns/https-get';
import { sqsQueues } from './adapters/sqs/queues';
import type { Settings } from './config/settings';
import type { FeedFetcher } from './content/ports';
import type { ContentDeps } from './content/sync';
import type { AuditTrail } from './core/audit';
import type { Counters } from './core/counters';
import { jsonLogger, type Logger } from './core/log';
import type { Mailer } from './core/mail';
import { HQ_POST } from './core/model';
import { type Clock, type HealthProbe, type PostRepository, systemClock } from './core/ports';
import type { EditionRepository, Renderer } from './editions/ports';
import { currentRenders } from './editions/service';
import { audienceDirectory, variantStories } from './engagement/audiences';
import type { EventQueue } from './engagement/ports';
import { DEFAULT_ENGAGEMENT_POLICY } from './engagement/record';
import type { SesEventDeps } from './engagement/ses-events';
import type { SnsEndpointDeps } from './engagement/sns-endpoint';
import type { HttpsGet } from './engagement/sns-verify';
import type { LayoutRepository } from './rendering/ports';
import { templateRenderer } from './rendering/renderer';
import { loadTemplates } from './rendering/templates';
import type { ExportDeps } from './reports/export';
import type { SchedulerDeps } from './sending/consume';
import type { DispatchDeps } from './sending/dispatch';
import type { Queues, SendMetrics } from './sending/ports';
import { RateGovernor } from './sending/rate';
import type { MailDeps } from './sending/test-send';
import { newWorkerCaches, type WorkerDeps } from './sending/worker';
import type { ListGrowth, SubscriberRepository, SuppressionRepository } from './subscribers/ports';
import type { StaffDeps } from './subscribers/staff';
import { DEFAULT_SUBSCRIBE_POLICY, type SubscribeDeps } from './subscribers/subscribe';
import { unsubscribe } from './subscribers/unsubscribe';

/**
 * The one place that builds clients and wires adapters to the domain. Lambda entries,
 * the local stack, the CLI and integration tests all get their context here.
 */
export interface AppContext {
  readonly settings: Settings;
  readonly dynamo: { readonly raw: DynamoDBClient; readonly doc: DynamoDBDocumentClient };
  readonly ses: SESClient;
  readonly repos: {
    readonly posts: PostRepository;
    readonly subscribers: SubscriberRepository;
    readonly suppressions: SuppressionRepository;
    readonly editions: EditionRepository;
    readonly layouts: LayoutRepository;
  };
  readonly audit: AuditTrail;
  /** Sharded counters by scope (send progress; engagement next). */
  readonly counters: Counters;
  /** Central content: the store, the feed fetcher and parser (core/content-sync.ts). */
  readonly content: ContentDeps & { readonly fetcher: FeedFetcher };
  /** Editions: store, rendering, audit (core/edition-service.ts), and mail (sending/test-send.ts). */
  readonly editions: MailDeps;
  readonly auth: StaffAuthenticator;
  readonly mailer: Mailer;
  /** The send pipeline: dispatch and worker dependencies (functions/sending/). */
  readonly sending: {
    readonly dispatch: DispatchDeps;
    readonly worker: WorkerDeps;
    readonly queues: Queues;
    /** The scheduler's: the dispatch's, with the count of settled send records for the stall rule. */
    readonly scheduler: SchedulerDeps;
  };
  /** SES events (Lambda from SNS; locally the SES gate): ledger of accepted sends, suppressions. */
  readonly engagement: SesEventDeps;
  /** Where the reader routes put opens, clicks and web views (recorded in batches). */
  readonly eventQueue: EventQueue;
  /** Double opt-in: subscribe, confirm, welcome (subscribers/subscribe.ts). */
  readonly subscribe: SubscribeDeps;
  /** Staff work on people: list, search, remove, export; suppressions; GDPR access and erasure. */
  readonly staff: StaffDeps;
  /** Usage reports: counters, posts, editions, content, audit; Chart.js for HTML reports. */
  readonly reports: ExportDeps;
  /** List growth counters: sign-ups, confirmations, unsubscribes, cleaned addresses. */
  readonly listGrowth: ListGrowth;
  /** Local stack only: the raw MIME of every message sent, by message id. */
  readonly outbox: RawOutbox | undefined;
  /** POST /ses/events: SNS over HTTPS, verified (expected topic, certificate port and cache). */
  readonly snsEvents: SnsEndpointDeps;
  readonly probes: readonly HealthProbe[];
  readonly clock: Clock;
  readonly log: Logger;
}

export interface ContextOptions {
  /** Replace the HTTP feed fetcher (tests of timeouts and failures use a real local server instead). */
  readonly fetcher?: FeedFetcher;
  readonly log?: Logger;
  /** Lambda: the send worker's CloudWatch metrics (adapters/powertools); none locally. */
  readonly sendMetrics?: SendMetrics;
  readonly clock?: Clock;
  /** SDK attempts per call; the CLI lowers it so an unreachable server is reported quickly. */
  readonly maxAttempts?: number;
  /** The local SES gate's outbox: the raw MIME of every message it accepted (the gate writes it). */
  readonly outbox?: RawOutbox;
  /** Tests: where SNS signing certificates and subscription confirmations are fetched from. */
  readonly httpsGet?: HttpsGet;
  /** The local stack's in-process queues (SQS on AWS). */
  readonly queues?: Queues & { readonly engagement: EventQueue };
}

/**
 * What only some functions use, and what makes a bundle heavy (MJML, the feed parser,
 * Chart.js). Each Lambda entry names the parts its handler needs; esbuild then leaves
 * the others out of its bundle (package.json "sideEffects": false). The local stack,
 * the CLI and the tests take them all (buildContext).
 */
export interface AppParts {
  /** MJML rendering: submit, schedule, preview, test send, the send worker. */
  readonly renderer: typeof templateRenderer;
  /** RSS, Atom and JSON Feed, fetched over HTTP: content sync. */
  readonly parseFeed: ContentDeps['parse'];
  readonly feedFetcher: typeof httpFeedFetcher;
  /** The one MIME builder (nodemailer) in front of SES: test sends, subscriptions, the send worker. */
  readonly mailer: typeof sesMailer;
  /** Chart.js for HTML reports. */
  readonly chartLibrary: ExportDeps['chartLibrary'];
  /** Lambda only: the send worker's metrics in CloudWatch EMF (Powertools); none locally. */
  readonly sendMetrics?: typeof emfSendMetrics;
}

export const RENDERING: Pick<AppParts, 'renderer'> = { renderer: templateRenderer };
export const FEEDS: Pick<AppParts, 'parseFeed' | 'feedFetcher'> = {
  parseFeed: parseFeedDocument,
  feedFetcher: httpFeedFetcher,
};
export const MAIL: Pick<AppParts, 'mailer'> = { mailer: sesMailer };
export const METRICS: Pick<AppParts, 'sendMetrics'> = { sendMetrics: emfSendMetrics };
export const CHARTS: Pick<AppParts, 'chartLibrary'> = { chartLibrary: chartJsBundle };

/** A part a function was built without: a defect of its entry (handlers/<name>.ts), named as such. */
const missingPart = (part: keyof AppParts): Error =>
  new Error(`this function was built without the ${part} part: name it in its Lambda entry`);

/** Every part: the local stack, the CLI, tests and benchmarks. */
export function buildContext(settings: Settings, options: ContextOptions = {}): AppContext {
  return composeContext(settings, options, { ...RENDERING, ...FEEDS, ...CHARTS, ...MAIL });
}

/** The context with only the given parts (a Lambda's); the renderer is built on first use. */
export function composeContext(
  settings: Settings,
  options: ContextOptions,
  parts: Partial<AppParts>,
): AppContext {
  const dynamo = createDynamoClients({
    region: settings.region,
    endpoint: settings.dynamodbEndpoint,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  const ses = createSesClient({ region: settings.region, endpoint: settings.sesEndpoint });
  const { tables } = settings;
  const clock = options.clock ?? systemClock;
  const contentRepo = new DynamoContentRepository(dynamo.doc, tables.content);
  const posts = new DynamoPostRepository(dynamo.doc, tables.directory);
  const audit = new DynamoAuditTrail(dynamo.doc, tables.audit);
  const editions = new DynamoEditionRepository(dynamo.doc, tables.editions);
  const layouts = new DynamoLayoutRepository(dynamo.doc, tables.directory);
  const subscribers = new DynamoSubscriberRepository(dynamo.doc, tables.subscribers);
  // Erased addresses are kept as keyed hashes, keyed from the signing keys (no extra secret).
  const hashKeys = erasureKeys(settings.signingKeys.map((k) => k.secret));
  const suppressions = new DynamoSuppressionRepository(dynamo.doc, tables.suppressions, hashKeys);
  const counters = new DynamoCounters(dynamo.doc, tables.stats);
  const listGrowth = counterListGrowth(counters);
  const progress = new DynamoProgressStore(dynamo.doc, tables.stats, counters);
  const queues = options.queues ?? sqsQueues(settings);
  const ledger = new DynamoSendLedger(dynamo.doc, tables.events);
  const sendMetrics = options.sendMetrics ?? parts.sendMetrics?.(`missive-${settings.stage}`, 'missive');
  const mailer = lazyMailer(() => {
    if (!parts.mailer) throw missingPart('mailer');
    return parts.mailer(ses, { configurationSet: settings.sesConfigurationSet });
  });
  const editionDeps: MailDeps = {
    editions,
    posts,
    audit,
    clock,
    renderer: lazyRenderer(() => {
      if (!parts.renderer) throw missingPart('renderer');
      return parts.renderer(settings.templatesDir, contentRepo, clock, layouts);
    }),
    mailer,
    labels: (language) => {
      const all = loadTemplates(settings.templatesDir).labels;
      return all.get(language as never) ?? all.get('en') ?? {};
    },
    links: { baseUrl: settings.publicBaseUrl, keys: settings.signingKeys },
  };
  const log = options.log ?? jsonLogger('missive', { stage: settings.stage });
  const dispatch: DispatchDeps = {
    editions,
    audit,
    clock,
    recipients: subscribers,
    queues,
    progress,
    prepare: (edition) => currentRenders(editionDeps, edition),
  };
  return {
    settings,
    dynamo,
    ses,
    repos: {
      posts,
      subscribers,
      suppressions,
      editions,
      layouts,
    },
    audit,
    counters,
    mailer,
    outbox: options.outbox,
    snsEvents: {
      topicArn: settings.sesEventsTopicArn,
      fetch: options.httpsGet ?? httpsGet(),
      confirm: options.httpsGet ?? httpsGet(),
      certificates: new Map(),
      clock,
      log,
    },
    staff: {
      subscribers,
      suppressions,
      personalData: new DynamoPersonalData(dynamo.doc, tables),
      audit,
      clock,
      pseudonym: (value) => keyedHash(hashKeys[0] ?? Buffer.alloc(32), `id:${value}`),
    },
    eventQueue: queues.engagement,
    engagement: {
      ledger,
      store: new DynamoEngagementStore(dynamo.doc, tables.events),
      counters,
      suppressions,
      unsubscriber: {
        // A hard bounce or a complaint cleans the address off every list it was on.
        everything: async (subscriberId) => {
          await unsubscribe(subscribers, clock, { s: subscriberId, o: HQ_POST }, 'everything', {
            counter: listGrowth,
            change: 'list_cleaned',
          });
        },
      },
      audiences: audienceDirectory(posts),
      stories: variantStories(editions),
      clock,
      log,
      policy: {
        ...DEFAULT_ENGAGEMENT_POLICY,
        rawDays: settings.eventsRetentionDays,
        softBounceLimit: settings.softBounceLimit,
        hashKey: hashKeys[0] ?? Buffer.alloc(32),
      },
    },
    listGrowth,
    reports: {
      counters,
      posts,
      editions,
      content: contentRepo,
      audit,
      clock,
      chartLibrary: parts.chartLibrary ?? (() => Promise.reject(missingPart('chartLibrary'))),
    },
    editions: editionDeps,
    subscribe: {
      posts,
      subscribers,
      suppressions,
      store: new DynamoSubscribeStore(dynamo.doc, tables),
      editions: latestSentEditions(editions),
      mailer,
      clock,
      labels: editionDeps.labels,
      links: editionDeps.links,
      growth: listGrowth,
      policy: {
        ...DEFAULT_SUBSCRIBE_POLICY,
        confirmDays: settings.confirmDays,
        minFillSeconds: settings.subscribeMinFillSeconds,
      },
    },
    sending: {
      queues,
      dispatch,
      scheduler: {
        ...dispatch,
        log,
        settled: new DynamoSettledSends(dynamo.doc, tables.sends),
        // Per context (a warm Lambda container, the local stack): a Scan at most once per stall window.
        recordChecks: new Map<string, number>(),
      },
      worker: {
        editions: editionDeps,
        subscribers,
        suppressions,
        records: new DynamoSendRecords(dynamo.doc, tables.sends),
        progress,
        ledger,
        mailer,
        quota: sesQuota(ses),
        // Each worker takes its share of the account's rate (updated from GetSendQuota).
        governor: new RateGovernor(0),
        workerShare: 1 / settings.sendWorkers,
        links: editionDeps.links,
        labels: editionDeps.labels,
        log,
        leaseMs: settings.claimLeaseMs,
        takeoverMarginMs: settings.takeoverMarginMs,
        caches: newWorkerCaches(),
        ...(sendMetrics ? { metrics: sendMetrics } : {}),
      },
    },
    content: {
      content: contentRepo,
      clock,
      parse:
        parts.parseFeed ??
        (() => {
          throw missingPart('parseFeed');
        }),
      fetcher:
        options.fetcher ??
        lazyFetcher(() => {
          if (!parts.feedFetcher) throw missingPart('feedFetcher');
          return parts.feedFetcher();
        }),
    },
    auth:
      settings.staffAuth.kind === 'cognito'
        ? cognitoAuthenticator({
            region: settings.region,
            userPoolId: settings.staffAuth.userPoolId,
            clientIds: settings.staffAuth.clientIds,
          })
        : localAuthenticator(settings.signingKeys.map((k) => k.secret)),
    probes: [
      settings.mode === 'aws' ? describeTablesProbe(dynamo.raw, tables) : dynamoProbe(dynamo.raw, tables),
      settings.mode === 'local' && settings.sesEndpoint
        ? localSesProbe(settings.sesEndpoint)
        : sesQuotaProbe(ses),
    ],
    clock,
    log,
  };
}

/** A renderer made when first asked to render (its templates are read then, not at a cold start). */
function lazyRenderer(make: () => Renderer): Renderer {
  let made: Renderer | undefined;
  return {
    render: (...args) => {
      made ??= make();
      return made.render(...args);
    },
  };
}

/** A mailer made on first use (a function that sends nothing never loads the MIME builder). */
function lazyMailer(make: () => Mailer): Mailer {
  let made: Mailer | undefined;
  return {
    prepare: (...args) => {
      made ??= make();
      return made.prepare(...args);
    },
  };
}

function lazyFetcher(make: () => FeedFetcher): FeedFetcher {
  let made: FeedFetcher | undefined;
  return {
    fetch: (...args) => {
      made ??= make();
      return made.fetch(...args);
    },
  };
}
