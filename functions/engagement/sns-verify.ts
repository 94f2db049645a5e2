import { verify, X509Certificate } from 'node:crypto';
import { MissiveError } from '../core/errors';
import type { Clock } from '../core/ports';

/**
 * Verification of an Amazon SNS message posted to an HTTPS subscription, as AWS
 * documents it ("Verifying the signatures of Amazon SNS messages"): the certificate
 * only from https://sns.<region>.amazonaws.com(.cn)/<name>.pem, fetched through a
 * port and cached per URL, valid at the injected clock's time; the string to sign of
 * the message's type; SignatureVersion 1 (SHA1withRSA) or 2 (SHA256withRSA); and the
 * topic the installation expects. Anything else is refused (403) with one line saying
 * why (never the message's content: it may carry addresses).
 */

/** A refused SNS message: 403, nothing recorded. */
export class SnsMessageRefused extends MissiveError {
  readonly code = 'sns_refused';
  readonly httpStatus = 403;
}

/** GET of an https URL, body as text; throws on a network error or a status other than 200. */
export type HttpsGet = (url: string) => Promise<string>;

export interface SnsVerifyDeps {
  /** The topic whose messages are accepted; undefined: the endpoint is not configured. */
  readonly topicArn: string | undefined;
  readonly fetch: HttpsGet;
  readonly clock: Clock;
  /** Certificates by URL (fetched once per container; a failed fetch is not kept). */
  readonly certificates: Map<string, Promise<X509Certificate>>;
}

export const SNS_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;
export type SnsType = (typeof SNS_TYPES)[number];

export interface SnsMessage {
  readonly Type: SnsType;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: '1' | '2';
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly Subject?: string;
  readonly Token?: string;
  readonly SubscribeURL?: string;
}

/** The keys signed, in order, per type (Subject only when the message has one). */
const SIGNED_KEYS: Record<SnsType, readonly (keyof SnsMessage)[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

const SIGNED_FIELDS: readonly (keyof SnsMessage)[] = [
  'MessageId',
  'TopicArn',
  'Message',
  'Timestamp',
  'Signature',
  'SigningCertURL',
];
const REQUIRED: Record<SnsType, readonly (keyof SnsMessage)[]> = {
  Notification: SIGNED_FIELDS,
  SubscriptionConfirmation: [...SIGNED_FIELDS, 'SubscribeURL', 'Token'],
  UnsubscribeConfirmation: [...SIGNED_FIELDS, 'SubscribeURL', 'Token'],
};

const DIGEST = { '1': 'sha1', '2': 'sha256' } as const;

/** SNS's own endpoints: sns.<region>.amazonaws.com, or .amazonaws.com.cn in China. */
const SNS_HOST = /^sns\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com(\.cn)?$/;
/** One path segment ending in .pem, as AWS names its signing certificates. */
const CERT_PATH = /^\/[A-Za-z0-9._-]+\.pem$/;

/** The URL if it is https on an SNS host with no userinfo or port; undefined otherwise. */
function snsUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const ok =
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    SNS_HOST.test(url.hostname);
  return ok ? url : undefined;
}

/**
 * The certificate URL, accepted only as https://sns.<region>.amazonaws.com(.cn)/<name>.pem
 * written exactly so: another host, scheme, port, userinfo, query, a second path
 * segment, or a spelling the URL parser would rewrite (`:443`, `\`, `%2F`, `..`) is refused.
 */
export function checkCertificateUrl(raw: string): string | undefined {
  const url = snsUrl(raw);
  if (!url || url.href !== raw || url.search !== '' || url.hash !== '' || !CERT_PATH.test(url.pathname)) {
    return undefined;
  }
  return url.href;
}

/**
 * A SubscriptionConfirmation's SubscribeURL, accepted only as SNS's own
 * ConfirmSubscription action for the expected topic on an SNS host.
 */
export function checkSubscribeUrl(raw: string, topicArn: string): string | undefined {
  const url = snsUrl(raw);
  if (url?.pathname !== '/' || url.hash !== '') return undefined;
  const q = url.searchParams;
  if (q.get('Action') !== 'ConfirmSubscription' || q.get('TopicArn') !== topicArn || !q.get('Token')) {
    return undefined;
  }
  return url.href;
}

const refuse = (why: string): never => {
  throw new SnsMessageRefused(`SNS message refused: ${why}`);
};

/** The body as an SNS message of a known type with its fields as strings, or a refusal. */
export function parseSnsMessage(body: string): SnsMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return refuse('the body is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('not an SNS message');
  const m = raw as Record<string, unknown>;
  const type = SNS_TYPES.find((t) => t === m.Type);
  if (!type) return refuse('not an SNS message (Type is not one SNS sends)');
  for (const key of REQUIRED[type]) {
    if (typeof m[key] !== 'string' || m[key] === '') return refuse(`${type} without ${key}`);
  }
  if (m.Subject !== undefined && typeof m.Subject !== 'string') return refuse('Subject is not a string');
  if (m.SignatureVersion !== '1' && m.SignatureVersion !== '2') {
    return refuse('SignatureVersion must be "1" or "2"');
  }
  return m as unknown as SnsMessage;
}

/** The string SNS signs for this message: "Key\nvalue\n" for each signed key it has. */
export function stringToSign(message: SnsMessage): string {
  return SIGNED_KEYS[message.Type]
    .filter((key) => message[key] !== undefined)
    .map((key) => `${key}\n${message[key]}\n`)
    .join('');
}

async function certificate(deps: SnsVerifyDeps, url: string): Promise<X509Certificate> {
  let cert = deps.certificates.get(url);
  if (!cert) {
    cert = deps.fetch(url).then((pem) => new X509Certificate(pem));
    deps.certificates.set(url, cert);
    // A failed fetch or a bad PEM is not kept: the next message tries again.
    cert.catch(() => deps.certificates.delete(url));
  }
  try {
    return await cert;
  } catch {
    return refuse('the signing certificate could not be fetched or read');
  }
}

/**
 * Verifies an SNS message posted over HTTPS; returns it, or throws SnsMessageRefused.
 * The topic and the certificate URL are checked before anything is fetched.
 */
export async function verifySnsMessage(deps: SnsVerifyDeps, body: string): Promise<SnsMessage> {
  if (!deps.topicArn) return refuse('the SES events endpoint is not configured (no expected topic)');
  const message = parseSnsMessage(body);
  if (message.TopicArn !== deps.topicArn) return refuse('the message is not from the expected topic');
  const certUrl = checkCertificateUrl(message.SigningCertURL);
  if (!certUrl) return refuse('SigningCertURL is not an https://sns.<region>.amazonaws.com/….pem URL');
  const cert = await certificate(deps, certUrl);
  const now = deps.clock.now().getTime();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
    return refuse('the signing certificate is not valid at this time');
  }
  const signature = Buffer.from(message.Signature, 'base64');
  let valid = false;
  try {
    valid = verify(
      DIGEST[message.SignatureVersion],
      Buffer.from(stringToSign(message), 'utf8'),
      cert.publicKey,
      signature,
    );
  } catch {
    valid = false;
  }
  if (!valid) return refuse('the signature does not verify');
  return message;
}
