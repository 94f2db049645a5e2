import { createHash } from 'node:crypto';
import { classifyRequest } from './classify';
import type { EngagementEvent, EngagementKind } from './model';

/**
 * Reads an SES event into our events. Both shapes SES publishes are read: event
 * publishing through a configuration set ("eventType", with our message tags) and
 * identity notifications ("notificationType", no tags: the ids come from the
 * X-Missive-* headers when SES includes the original headers). Tags come back as
 * { edition: ["ed_..."], recipient: ["sub_..."], post: [...], audience: [...], language: [...] }.
 *
 * The event id is a hash of the event itself: SNS and SQS redeliver the same JSON,
 * so a redelivered event has the id of the first delivery and is recorded once.
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const opt = <K extends string>(key: K, v: string | undefined) =>
  (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

const KINDS: Readonly<Record<string, EngagementKind>> = {
  Send: 'send',
  Delivery: 'delivery',
  Bounce: 'bounce',
  Complaint: 'complaint',
  Reject: 'reject',
  DeliveryDelay: 'delay',
  'Rendering Failure': 'rendering-failure',
  RenderingFailure: 'rendering-failure',
  Open: 'open',
  Click: 'click',
  Subscription: 'subscription',
};

/** Where each SES event type keeps its detail and its own timestamp. */
const DETAIL: Readonly<Record<string, string>> = {
  Delivery: 'delivery',
  Bounce: 'bounce',
  Complaint: 'complaint',
  Reject: 'reject',
  DeliveryDelay: 'deliveryDelay',
  'Rendering Failure': 'failure',
  RenderingFailure: 'failure',
  Open: 'open',
  Click: 'click',
  Subscription: 'subscription',
};

const addresses = (list: unknown): string[] =>
  (Array.isArray(list) ? list : [])
    .map((r) => obj(r).emailAddress)
    .filter((a): a is string => typeof a === 'string');

/** Our ids: from the message tags, else from the headers SES may include. */
function idsOf(mail: Json) {
  const tags = obj(mail.tags);
  const tag = (name: string) => {
    const v = tags[name];
    return Array.isArray(v) ? str(v[0]) : undefined;
  };
  const headers = Array.isArray(mail.headers) ? mail.headers.map(obj) : [];
  const header = (name: string) =>
    str(headers.find((h) => String(h.name).toLowerCase() === name.toLowerCase())?.value);
  const variant = tag('variant');
  const dash = variant?.lastIndexOf('-') ?? -1;
  return {
    editionId: tag('edition') ?? header('X-Missive-Edition'),
    subscriberId: tag('recipient') ?? header('X-Missive-Recipient'),
    post: tag('post'),
    audience: tag('audience') ?? (dash > 0 ? variant?.slice(0, dash) : undefined),
    language: tag('language') ?? (dash > 0 ? variant?.slice(dash + 1) : undefined),
    test: tag('test') === 'true',
  };
}

export const eventIdOf = (raw: unknown) =>
  createHash('sha256').update(JSON.stringify(raw)).digest('base64url').slice(0, 22);

/**
 * One SES payload as our event; undefined for something that is not an SES event at
 * all (counted by the caller, never thrown). A test send is read too: its tag lets
 * the recorder leave it out of the figures.
 */
export function interpretSesEvent(raw: unknown): EngagementEvent | undefined {
  const event = obj(raw);
  const type = str(event.eventType) ?? str(event.notificationType);
  if (!type) return undefined;
  const mail = obj(event.mail);
  const detailKey = DETAIL[type];
  const detail = detailKey ? obj(event[detailKey]) : {};
  const at = str(detail.timestamp) ?? str(mail.timestamp) ?? new Date(0).toISOString();
  const ids = idsOf(mail);
  const kind = KINDS[type] ?? 'unknown';
  const base = {
    kind,
    id: eventIdOf(raw),
    at,
    ...(ids.editionId ? { editionId: ids.editionId } : {}),
    ...(ids.subscriberId ? { subscriberId: ids.subscriberId } : {}),
    ...(ids.post ? { post: ids.post } : {}),
    ...(ids.audience ? { audience: ids.audience } : {}),
    ...(ids.language ? { language: ids.language } : {}),
    ...(ids.test ? { test: true } : {}),
  };
  switch (kind) {
    case 'send': {
      const messageId = str(mail.messageId);
      return { ...base, ...(messageId ? { messageId } : {}) };
    }
    case 'bounce':
      return {
        ...base,
        bounceType: str(detail.bounceType) ?? 'Undetermined',
        ...opt('bounceSubType', str(detail.bounceSubType)),
        emails: addresses(detail.bouncedRecipients),
      };
    case 'complaint':
      return {
        ...base,
        ...opt('feedbackType', str(detail.complaintFeedbackType)),
        emails: addresses(detail.complainedRecipients),
      };
    case 'open':
    case 'click':
      // SES's own tracking (when a configuration set enables it): classified like ours.
      return {
        ...base,
        classification: classifyRequest({ method: 'GET', userAgent: str(detail.userAgent), kind }),
      };
    case 'unknown':
      return { ...base, sesType: type.slice(0, 40) };
    default:
      return base;
  }
}
