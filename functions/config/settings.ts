import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { ConfigError } from '../core/errors';
import { LANGUAGES, type Language } from '../core/model';
import { firstIssue } from '../core/validation';
import { type TableNames, tableNames } from './table-names';

/**
 * Settings are read once, from an environment-like record, by the composition root
 * (Lambda entry, CLI, local stack) and passed down. Nothing else reads process.env.
 *
 * MISSIVE_MODE=local (the default) points every client at the embedded stack;
 * MISSIVE_MODE=aws (set by the CDK stack) uses AWS's own endpoints and requires the
 * settings that have no safe default there.
 */

export const LOCAL_DEFAULTS = {
  httpPort: 3000,
  dynamodbPort: 8000,
  sesPort: 8005,
  /** The stand-in for headquarters' site, serving the sample feeds in seeds/feeds/. */
  feedsPort: 8006,
} as const;

/** The sample feeds the local stack serves, one per language of central content. */
export const localFeedSources = (base: string) =>
  (['fr', 'nl', 'en'] as const).map((language) => ({ language, url: `${base}/focus-${language}.xml` }));

const feedSources = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const sources: { language: Language; url: string }[] = [];
    for (const part of raw.split(',').filter(Boolean)) {
      const m = /^\s*([a-z]{2})\s*=\s*(\S+)\s*$/.exec(part);
      const language = m?.[1] as Language | undefined;
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(m?.[2] ?? '').protocol);
      } catch {
        ok = false;
      }
      if (!m || !language || !LANGUAGES.includes(language) || !ok) {
        ctx.addIssue({
          code: 'custom',
          message: `must be lang=URL pairs such as fr=https://example.org/fr.rss (bad part "${part.trim()}")`,
        });
        return z.NEVER;
      }
      if (sources.some((s) => s.language === language)) {
        ctx.addIssue({ code: 'custom', message: `has two feeds for "${language}": one feed per language` });
        return z.NEVER;
      }
      sources.push({ language, url: m[2] as string });
    }
    return sources;
  });

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, `must be an http(s) URL such as http://127.0.0.1:8000 (${what})`);

const signingKeys = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    const keys: { id: string; secret: string }[] = [];
    for (const part of raw.split(',').filter(Boolean)) {
      const sep = part.indexOf(':');
      const id = sep > 0 ? part.slice(0, sep).trim() : '';
      const secret = sep > 0 ? part.slice(sep + 1).trim() : '';
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id) || secret.length < 32) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a comma-separated list of keyId:secret, each secret at least 32 characters',
        });
        return z.NEVER;
      }
      keys.push({ id, secret });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must hold at least one keyId:secret' });
      return z.NEVER;
    }
    return keys;
  });

const envSchema = z.object({
  MISSIVE_MODE: z.enum(['local', 'aws']).default('local'),
  MISSIVE_STAGE: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,19}$/, 'must be 2-20 lowercase letters, digits or dashes')
    .default('local'),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .default('eu-west-1'),
  MISSIVE_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'may hold only letters, digits, _ . and -')
    .optional(),
  MISSIVE_DYNAMODB_ENDPOINT: url('DynamoDB endpoint').optional(),
  MISSIVE_SES_ENDPOINT: url('SES endpoint').optional(),
  MISSIVE_SES_CONFIGURATION_SET: z.string().min(1).optional(),
  MISSIVE_SENDER: z.email('must be an email address such as newsletter@example.org').optional(),
  MISSIVE_PUBLIC_BASE_URL: url('public base URL').optional(),
  MISSIVE_APP_URL: url('staff web app URL').optional(),
  MISSIVE_SIGNING_KEYS: signingKeys.optional(),
  MISSIVE_CONTENT_FEEDS: feedSources.optional(),
  MISSIVE_TEMPLATES_DIR: z.string().min(1).optional(),
  MISSIVE_DISPATCH_QUEUE_URL: url('SQS dispatch queue').optional(),
  MISSIVE_SEND_QUEUE_URL: url('SQS send queue').optional(),
  MISSIVE_CRISIS_QUEUE_URL: url('SQS crisis queue').optional(),
  MISSIVE_SEND_WORKERS: z.coerce.number().int().min(1).max(1000).default(1),
  MISSIVE_CLAIM_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  MISSIVE_TAKEOVER_MARGIN_SECONDS: z.coerce.number().int().min(0).max(86_400).optional(),
  MISSIVE_CONFIRM_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Days raw engagement events are kept (DynamoDB TTL); aggregates stay. */
  MISSIVE_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Consecutive editions that soft-bounce before an address is suppressed. */
  MISSIVE_SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(20).default(3),
  /** SQS queue of engagement events (opens, clicks, SES events), consumed in batches. */
  MISSIVE_ENGAGEMENT_QUEUE_URL: url('SQS engagement queue').optional(),
  MISSIVE_SUBSCRIBE_MIN_FILL_SECONDS: z.coerce.number().min(0).max(600).default(3),
  /** The SNS topic whose messages POST /ses/events accepts (an HTTPS subscription); unset: the route refuses. */
  MISSIVE_SES_EVENTS_TOPIC_ARN: z
    .string()
    .regex(
      /^arn:aws(-cn|-us-gov)?:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/,
      'must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:ses-events',
    )
    .optional(),
  MISSIVE_COGNITO_USER_POOL_ID: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/, 'must be a user pool id such as eu-west-1_AbCdEf123')
    .optional(),
  MISSIVE_COGNITO_CLIENT_IDS: z
    .string()
    .regex(/^[A-Za-z0-9]+(,[A-Za-z0-9]+)*$/, 'must be comma-separated app client ids')
    .optional(),
});

export interface SigningKey {
  readonly id: string;
  readonly secret: string;
}

export interface Settings {
  readonly mode: 'local' | 'aws';
  readonly stage: string;
  readonly region: string;
  readonly tables: TableNames;
  readonly tablePrefix: string;
  /** Undefined on AWS: the SDK's own endpoint. */
  readonly dynamodbEndpoint: string | undefined;
  readonly sesEndpoint: string | undefined;
  readonly sesConfigurationSet: string | undefined;
  /** Default From address; each post may have its own sender on the verified domain. */
  readonly sender: string;
  /** Base of every public link (unsubscribe, web version, tracking), without trailing slash. */
  readonly publicBaseUrl: string;
  /** The staff web app's address (links in the report digest); the local stack serves it at /app/. */
  readonly appUrl: string | undefined;
  /** Signing keys for public links, current key first; older keys still verify. */
  readonly signingKeys: readonly SigningKey[];
  /** Folder of the MJML templates (templates/ of the project; the Lambda bundle carries a copy). */
  readonly templatesDir: string;
  /** SQS queue URLs (AWS); the local stack has its own in-process queues. */
  readonly queues: {
    readonly dispatch?: string;
    readonly send?: string;
    readonly crisis?: string;
    readonly engagement?: string;
  };
  /** How many send workers share the SES rate (their reserved concurrency on AWS). */
  readonly sendWorkers: number;
  /** How long a claim with an unknown outcome waits for SES's Send event before it is resent. */
  /**
   * How long a send record's claim entitles its attempt to call SES (on AWS at least
   * the worker's Lambda timeout, so a takeover can only follow a dead attempt).
   */
  readonly claimLeaseMs: number;
  /** How much longer than the lease a takeover waits (an SES call in flight, clock skew). */
  readonly takeoverMarginMs: number;
  /** Double opt-in: days a confirmation link and a pending subscription live (default 7). */
  readonly confirmDays: number;
  readonly eventsRetentionDays: number;
  readonly softBounceLimit: number;
  /** A subscribe form sent back sooner than this after it was served is dropped as a bot's. */
  readonly subscribeMinFillSeconds: number;
  /** The SNS topic POST /ses/events accepts messages from; undefined: the route answers 403. */
  readonly sesEventsTopicArn: string | undefined;
  /** Central content: one feed per language. */
  readonly contentFeeds: readonly { readonly language: Language; readonly url: string }[];
  /** How staff tokens are verified: Cognito on AWS, the local stack's own key locally. */
  readonly staffAuth:
    | { readonly kind: 'cognito'; readonly userPoolId: string; readonly clientIds: readonly string[] }
    | { readonly kind: 'local' };
}

export type Env = Record<string, string | undefined>;

/** Turns the environment into validated settings, or throws one ConfigError naming the setting. */
export function loadSettings(env: Env): Settings {
  // An empty variable means "not set", as in most shells' habits.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    const name = path || 'environment';
    const got = present[name];
    const shown = got === undefined ? '' : name.includes('KEY') ? ' (value hidden)' : ` (got "${got}")`;
    throw new ConfigError(`bad setting ${name}: ${message}${shown}`);
  }
  const e = parsed.data;
  const local = e.MISSIVE_MODE === 'local';
  const need = <T>(value: T | undefined, name: string, hint: string): T => {
    if (value === undefined) throw new ConfigError(`missing setting ${name}: ${hint}`);
    return value;
  };
  const prefix = e.MISSIVE_TABLE_PREFIX ?? `missive-${e.MISSIVE_STAGE}-`;
  const localBase = (e.MISSIVE_PUBLIC_BASE_URL ?? `http://localhost:${LOCAL_DEFAULTS.httpPort}`).replace(
    /\/+$/,
    '',
  );
  return {
    mode: e.MISSIVE_MODE,
    stage: e.MISSIVE_STAGE,
    region: e.AWS_REGION,
    tablePrefix: prefix,
    tables: tableNames(prefix),
    dynamodbEndpoint:
      e.MISSIVE_DYNAMODB_ENDPOINT ?? (local ? `http://127.0.0.1:${LOCAL_DEFAULTS.dynamodbPort}` : undefined),
    sesEndpoint: e.MISSIVE_SES_ENDPOINT ?? (local ? `http://127.0.0.1:${LOCAL_DEFAULTS.sesPort}` : undefined),
    sesConfigurationSet: e.MISSIVE_SES_CONFIGURATION_SET,
    sender: local
      ? (e.MISSIVE_SENDER ?? 'newsletter@missive.example.org')
      : need(e.MISSIVE_SENDER, 'MISSIVE_SENDER', 'the From address on the verified SES domain'),
    publicBaseUrl: local
      ? localBase
      : need(e.MISSIVE_PUBLIC_BASE_URL, 'MISSIVE_PUBLIC_BASE_URL', 'the https URL of the public API').replace(
          /\/+$/,
          '',
        ),
    appUrl: e.MISSIVE_APP_URL ?? (local ? `${localBase}/app/` : undefined),
    signingKeys: local
      ? (e.MISSIVE_SIGNING_KEYS ?? [])
      : need(e.MISSIVE_SIGNING_KEYS, 'MISSIVE_SIGNING_KEYS', 'keyId:secret pairs for signed public links'),
    queues: {
      ...(e.MISSIVE_DISPATCH_QUEUE_URL ? { dispatch: e.MISSIVE_DISPATCH_QUEUE_URL } : {}),
      ...(e.MISSIVE_SEND_QUEUE_URL ? { send: e.MISSIVE_SEND_QUEUE_URL } : {}),
      ...(e.MISSIVE_CRISIS_QUEUE_URL ? { crisis: e.MISSIVE_CRISIS_QUEUE_URL } : {}),
      ...(e.MISSIVE_ENGAGEMENT_QUEUE_URL ? { engagement: e.MISSIVE_ENGAGEMENT_QUEUE_URL } : {}),
    },
    sendWorkers: e.MISSIVE_SEND_WORKERS,
    // AWS: the worker's Lambda timeout is 5 minutes (infra/constructs/send-pipeline.ts).
    claimLeaseMs: (e.MISSIVE_CLAIM_LEASE_SECONDS ?? (local ? 30 : 300)) * 1000,
    takeoverMarginMs: (e.MISSIVE_TAKEOVER_MARGIN_SECONDS ?? (local ? 5 : 60)) * 1000,
    confirmDays: e.MISSIVE_CONFIRM_DAYS,
    eventsRetentionDays: e.MISSIVE_EVENTS_RETENTION_DAYS,
    softBounceLimit: e.MISSIVE_SOFT_BOUNCE_LIMIT,
    subscribeMinFillSeconds: e.MISSIVE_SUBSCRIBE_MIN_FILL_SECONDS,
    sesEventsTopicArn: e.MISSIVE_SES_EVENTS_TOPIC_ARN,
    templatesDir:
      e.MISSIVE_TEMPLATES_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates'),
    contentFeeds:
      e.MISSIVE_CONTENT_FEEDS ??
      (local ? localFeedSources(`http://127.0.0.1:${LOCAL_DEFAULTS.feedsPort}`) : []),
    staffAuth: local
      ? { kind: 'local' }
      : {
          kind: 'cognito',
          userPoolId: need(
            e.MISSIVE_COGNITO_USER_POOL_ID,
            'MISSIVE_COGNITO_USER_POOL_ID',
            'the staff user pool',
          ),
          clientIds: need(
            e.MISSIVE_COGNITO_CLIENT_IDS,
            'MISSIVE_COGNITO_CLIENT_IDS',
            'the app client ids',
          ).split(','),
        },
  };
}
