import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureTables } from '../adapters/dynamodb/provision';
import { rawOutbox } from '../adapters/ses/mailer';
import { type AppContext, buildContext } from '../app';
import { type Env, LOCAL_DEFAULTS, loadSettings, localFeedSources } from '../config/settings';
import { type SourceReport, syncAll } from '../content/sync';
import { ConfigError } from '../core/errors';
import type { Logger } from '../core/log';
import { recordAcceptedSend, recordEngagementBatch } from '../engagement/ses-events';
import type { HttpsGet } from '../engagement/sns-verify';
import { loadSeedsIfEmpty, readSeeds, type SeedResult } from '../seeding/seeds';
import { consumeDispatch, consumeSendBatches, runScheduler } from '../sending/consume';
import type { DispatchMessage, SendBatchMessage } from '../sending/model';
import { createFeedServer } from './feed-server';
import { localApiListener } from './http-server';
import { LocalQueue, startConsumer } from './queue';
import { createSesGate, type SesGate } from './ses-gate';

export interface LocalStackOptions {
  /** 0 picks a free port (tests). */
  readonly httpPort: number;
  readonly sesPort: number;
  readonly dynamodbPort: number;
  /** The stand-in for HQ's site serving seeds/feeds/ (when seeds are loaded). */
  readonly feedsPort?: number;
  /** Keep nothing on disk: DynamoDB in memory, keys generated for this run. */
  readonly memory: boolean;
  /** Where DynamoDB's data and the local signing key live (default .data/). */
  readonly dataDir: string;
  readonly seedsDir: string | undefined;
  /** The environment the settings are read from (endpoints are set by the stack itself). */
  readonly env: Env;
  readonly log: Logger;
  readonly onSeedProgress?: (done: number, total: number) => void;
  /** The local SES account: messages per second (above: Throttling) and per 24 hours. */
  /** false: the SES gate publishes no SES events (bench:send measures the send pipeline alone). */
  readonly sesEvents?: boolean;
  /** A DynamoDB endpoint already running (its own process): the stack starts no dynalite. */
  readonly dynamodbEndpoint?: string;
  readonly sesRate?: number;
  readonly sesDailyQuota?: number;
  /** Benchmarks: SES accepts without storing (see ses-gate.ts). */
  readonly sesSink?: boolean;
  /** Send workers running at once (Lambda concurrency stand-in). */
  readonly workers?: number;
  /** SQS visibility timeout stand-in: how soon an unacknowledged message comes back. */
  readonly visibilityTimeoutMs?: number;
  /** Tests: simulate a worker crash at a step (see sending/worker.ts). */
  readonly workerFault?: (point: 'claimed' | 'accepted' | 'marked') => void;
  /** Tests: runs right before each SES call (a worker slowed on purpose). */
  readonly beforeSend?: () => Promise<void>;
  /** A send claim's lease (default: the settings' lease, at least the visibility timeout); the takeover margin is the same. */
  readonly claimLeaseMs?: number;
  /** How often the scheduler looks for due editions (EventBridge stand-in). */
  readonly schedulerMs?: number;
  /** Count the send records of a sending edition whose counters have not moved for this long. */
  readonly stallMs?: number;
  /** Tests: where SNS signing certificates and subscription confirmations are fetched from. */
  readonly httpsGet?: HttpsGet;
}

export interface LocalStack {
  readonly urls: {
    readonly api: string;
    readonly ses: string;
    readonly dynamodb: string;
    readonly feeds?: string;
  };
  readonly ctx: AppContext;
  readonly seed: SeedResult | undefined;
  /** The content sync done at start (one report per feed). */
  readonly contentSync: SourceReport[] | undefined;
  /** The in-process queues (SQS stand-ins, kept under the data dir) and the SES gate's counters. */
  readonly queues: {
    dispatch: LocalQueue<DispatchMessage>;
    send: LocalQueue<SendBatchMessage>;
    crisis: LocalQueue<SendBatchMessage>;
    /** Opens, clicks and web views (EngagementEvent) and SES events (SES's JSON), recorded in batches. */
    engagement: LocalQueue<unknown>;
  };
  readonly ses: SesGate;
  /** True when no message is queued or being handled. */
  idle(): boolean;
  stop(): Promise<void>;
}

// aws-ses-v2-local is CommonJS with an __esModule default: Node's ESM loader hands the
// whole exports object as default, bundlers hand the function itself. Both stand-ins are
// loaded when a stack starts, not by every CLI command that imports this module (0.25 s).
type SesLocalStart = (config: { host: string; port: number }) => Promise<Server>;
const sesLocal = async (config: { host: string; port: number }): Promise<Server> => {
  const m = (await import('aws-ses-v2-local')) as { default?: unknown };
  const start = (
    typeof m.default === 'function' ? m.default : (m.default as { default: unknown }).default
  ) as SesLocalStart;
  return start(config);
};

const portOf = (server: Server) => (server.address() as AddressInfo).port;

function listen(server: Server, port: number, what: string, flag: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(
              `port ${port} for ${what} is in use: stop what uses it or choose another with ${flag} N`,
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

const close = (server: Server) =>
  new Promise<void>((r) => {
    server.closeAllConnections?.();
    server.close(() => r());
  });

export const localKeyFile = (dataDir: string) => join(resolve(dataDir), 'local-signing-key');

/** The key kept by a persistent local stack (MISSIVE_SIGNING_KEYS format), if it has run once. */
export async function readLocalSigningKey(dataDir: string): Promise<string | undefined> {
  const file = localKeyFile(dataDir);
  return existsSync(file) ? (await readFile(file, 'utf8')).trim() : undefined;
}

/**
 * The local key for signed links and local staff tokens: made once and kept in the
 * data folder, so links and tokens stay valid across restarts.
 */
async function localSigningKey(dataDir: string, memory: boolean): Promise<string> {
  const fresh = () => `local:${randomBytes(32).toString('base64url')}`;
  if (memory) return fresh();
  const file = localKeyFile(dataDir);
  const existing = await readLocalSigningKey(dataDir);
  if (existing) return existing;
  const key = fresh();
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

/**
 * Starts the embedded stack: dynalite (DynamoDB), aws-ses-v2-local (SES), the tables,
 * the seeds when the store is empty, and the HTTP routes through the Lambda handlers.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started: Server[] = [];
  const queuesOpen: { close(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const queue of queuesOpen) await queue.close();
    for (const server of started.reverse()) await close(server);
  };
  try {
    const dataDir = resolve(options.dataDir);
    if (!options.memory) await mkdir(join(dataDir, 'dynamodb'), { recursive: true });

    // DynamoDB: the embedded dynalite, or one already running in its own process (bench:send).
    let dynamodbUrl = options.dynamodbEndpoint;
    if (!dynamodbUrl) {
      const { default: dynalite } = await import('dynalite');
      const dynamo: Server = dynalite({
        ...(options.memory ? {} : { path: join(dataDir, 'dynamodb') }),
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
      });
      await listen(dynamo, options.dynamodbPort, 'DynamoDB', '--dynamodb-port');
      started.push(dynamo);
      dynamodbUrl = `http://127.0.0.1:${portOf(dynamo)}`;
    }

    // aws-ses-v2-local listens on a private port; the gate in front of it is the SES endpoint.
    const sesInner = await sesLocal({ host: '127.0.0.1', port: 0 });
    if (!sesInner.listening) throw new ConfigError('the local SES server could not start');
    started.push(sesInner);
    const outbox = rawOutbox(options.memory ? undefined : join(dataDir, 'outbox'));
    // SES events go where they go on AWS: the SES events use case (bound once the context exists).
    let publishSesEvent: (event: object) => Promise<void> = async () => {};
    const gate = createSesGate({
      // Benchmarks of the send pipeline leave SES events out (another function's work on AWS).
      ...(options.sesEvents === false ? {} : { publish: (event: object) => publishSesEvent(event) }),
      upstream: `http://127.0.0.1:${portOf(sesInner)}`,
      maxSendRate: options.sesRate ?? 50,
      max24HourSend: options.sesDailyQuota ?? 50_000,
      outbox,
      ...(options.sesSink ? { sink: true } : {}),
    });
    await listen(gate.server, options.sesPort, 'SES', '--ses-port');
    started.push(gate.server);
    const ses = gate.server;

    // The API listens first so that its real port (0 = any free one) goes into the
    // public base URL of the settings; until seeding and the first content sync are
    // done every request gets a 503 that says so (a client retries instead of hanging).
    let serve: RequestListener | undefined;
    const api = createServer((req, res) => {
      if (serve) return serve(req, res);
      req.resume();
      res.writeHead(503, {
        'content-type': 'application/json; charset=utf-8',
        'retry-after': '2',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify({ status: 'starting' }));
    });
    await listen(api, options.httpPort, 'the HTTP API', '--port');
    started.push(api);

    let feedsUrl: string | undefined;
    if (options.seedsDir) {
      const feeds = createFeedServer(join(options.seedsDir, 'feeds'));
      await listen(feeds, options.feedsPort ?? LOCAL_DEFAULTS.feedsPort, 'the sample feeds', '--feeds-port');
      started.push(feeds);
      feedsUrl = `http://127.0.0.1:${portOf(feeds)}`;
    }

    const urls = {
      api: `http://localhost:${portOf(api)}`,
      ses: `http://127.0.0.1:${portOf(ses)}`,
      dynamodb: dynamodbUrl,
      ...(feedsUrl ? { feeds: feedsUrl } : {}),
    };
    const settings = loadSettings({
      ...options.env,
      MISSIVE_MODE: 'local',
      MISSIVE_DYNAMODB_ENDPOINT: urls.dynamodb,
      MISSIVE_SES_ENDPOINT: urls.ses,
      MISSIVE_PUBLIC_BASE_URL: options.env.MISSIVE_PUBLIC_BASE_URL ?? urls.api,
      MISSIVE_SIGNING_KEYS:
        options.env.MISSIVE_SIGNING_KEYS ?? (await localSigningKey(dataDir, options.memory)),
      // Central content comes from the stand-in site unless real feeds are configured.
      ...(feedsUrl && !options.env.MISSIVE_CONTENT_FEEDS
        ? {
            MISSIVE_CONTENT_FEEDS: localFeedSources(feedsUrl)
              .map((f) => `${f.language}=${f.url}`)
              .join(','),
          }
        : {}),
    });
    const visibility = options.visibilityTimeoutMs ?? 30_000;
    // Kept under the data dir, so a stack killed mid-send resumes where it stopped.
    const openQueue = async <T>(name: string, maxReceives: number) => {
      const queue = await LocalQueue.open<T>(name, {
        visibilityTimeoutMs: visibility,
        maxReceives,
        ...(options.memory ? {} : { dir: join(dataDir, 'queues', name) }),
      });
      queuesOpen.push(queue);
      return queue;
    };
    const queues = {
      dispatch: await openQueue<DispatchMessage>('dispatch', 5),
      send: await openQueue<SendBatchMessage>('send', 10),
      crisis: await openQueue<SendBatchMessage>('crisis', 10),
      engagement: await openQueue<unknown>('engagement', 5),
    };
    const base = buildContext(settings, {
      log: options.log,
      outbox,
      queues,
      ...(options.httpsGet ? { httpsGet: options.httpsGet } : {}),
    });
    // As on AWS, SES events join the engagement queue and are recorded in batches; a Send
    // event also fills the ledger at once, before SES's answer (a worker taking over a
    // claim consults it), and is kept in the durable queue before the message settles.
    publishSesEvent = async (event) => {
      await recordAcceptedSend(base.engagement, event);
      await queues.engagement.send([event]);
    };
    // A claim younger than the visibility timeout may still be in the hands of another delivery.
    const worker = {
      ...base.sending.worker,
      leaseMs: options.claimLeaseMs ?? Math.max(base.sending.worker.leaseMs, visibility),
      takeoverMarginMs: options.claimLeaseMs ?? base.sending.worker.takeoverMarginMs,
      ...(options.workerFault ? { fault: options.workerFault } : {}),
      ...(options.beforeSend ? { beforeSend: options.beforeSend } : {}),
    };
    const ctx: AppContext = { ...base, sending: { ...base.sending, worker } };

    await ensureTables(ctx.dynamo.raw, settings.tables);
    // A stack killed between keeping a message and recording its Send event: record it now.
    const recovered = await gate.recover();
    if (recovered > 0)
      options.log.info('recorded the SES events of messages kept before a stop', { recovered });
    let seed: SeedResult | undefined;
    let contentSync: SourceReport[] | undefined;
    if (options.seedsDir) {
      const data = await readSeeds(options.seedsDir, ctx.clock);
      seed = await loadSeedsIfEmpty(ctx.repos, data, options.onSeedProgress);
      // The same sync the scheduled Lambda runs: conditional, so a restart costs a 304 per feed.
      contentSync = await syncAll(ctx.content, settings.contentFeeds);
    }
    serve = localApiListener(ctx);

    // The same consumers as the Lambdas', on in-process queues; crisis batches go first.
    const consumerOptions = { pollMs: 25, log: options.log };
    const dispatchDeps = {
      ...ctx.sending.scheduler,
      log: options.log,
      // Counting the records of one machine's dynalite is cheap: no need to wait 10 minutes.
      stallMs: options.stallMs ?? 30_000,
    };
    const dispatcher = startConsumer([queues.dispatch], (m) => consumeDispatch(dispatchDeps, m), {
      ...consumerOptions,
      batchSize: 1,
      concurrency: 1,
    });
    const workers = startConsumer(
      [queues.crisis, queues.send],
      (m) => consumeSendBatches(ctx.sending.worker, m),
      {
        ...consumerOptions,
        batchSize: 1,
        concurrency: options.workers ?? 4,
      },
    );
    // Opens, clicks and web views, recorded in batches as the Lambda on the engagement queue does.
    const recorder = startConsumer(
      [queues.engagement],
      async (m) => {
        await recordEngagementBatch(
          ctx.engagement,
          m.map((x) => x.body),
        );
        return { failures: [] };
      },
      // A batching window, as on AWS: a scanner's burst of clicks is judged in one batch.
      { ...consumerOptions, batchSize: 100, concurrency: 1, batchWindowMs: 1000 },
    );
    let ticking: Promise<void> | undefined;
    const scheduler = setInterval(() => {
      if (ticking) return;
      ticking = runScheduler(dispatchDeps, ctx.clock.now())
        .then(() => undefined)
        .catch((error: unknown) =>
          options.log.warn('scheduler tick failed', { reason: (error as Error).message }),
        )
        .finally(() => {
          ticking = undefined;
        });
    }, options.schedulerMs ?? 2000);
    const stop = async () => {
      clearInterval(scheduler);
      // A tick may be queueing an edition's first dispatch step: let it finish before the queues close.
      await ticking;
      await Promise.all([dispatcher.stop(), workers.stop()]);
      // The SES events of the last messages, then what is queued, recorded before the queues close.
      await gate.settled();
      await recorder.stop();
      await stopAll();
    };
    return {
      urls,
      ctx,
      seed,
      contentSync,
      queues,
      // Settled: every event of the messages accepted so far published and recorded.
      ses: Object.assign(Object.create(gate) as SesGate, {
        settled: async () => {
          await gate.settled();
          while (!recorder.idle()) await new Promise((r) => setTimeout(r, 50));
        },
      }),
      idle: () => dispatcher.idle() && workers.idle() && recorder.idle(),
      stop,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
