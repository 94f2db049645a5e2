import type { SuppressionReason } from '../core/model';

/**
 * What an SES event means for us. Both shapes SES publishes are read: event
 * publishing through a configuration set ("eventType") and identity notifications
 * ("notificationType"). Tags come back as { edition: ["ed_..."], recipient: ["sub_..."] }.
 */
export type SesEventMeaning =
  /** SES accepted the message: settles a send whose outcome a crash left unknown. */
  | {
      readonly kind: 'accepted';
      readonly editionId: string;
      readonly subscriberId: string;
      readonly messageId: string;
    }
  /** A permanent bounce or a complaint: these addresses are never mailed again. */
  | {
      readonly kind: 'suppress';
      readonly emails: readonly string[];
      readonly reason: SuppressionReason;
      readonly detail: string;
    }
  | { readonly kind: 'ignored'; readonly why: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const firstTag = (tags: Json, name: string) => {
  const v = tags[name];
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
};
const addresses = (list: unknown): string[] =>
  (Array.isArray(list) ? list : [])
    .map((r) => obj(r).emailAddress)
    .filter((a): a is string => typeof a === 'string');

export function interpretSesEvent(raw: unknown): SesEventMeaning {
  const event = obj(raw);
  const type = String(event.eventType ?? event.notificationType ?? '');
  const mail = obj(event.mail);
  switch (type) {
    case 'Send': {
      const tags = obj(mail.tags);
      const editionId = firstTag(tags, 'edition');
      const subscriberId = firstTag(tags, 'recipient');
      if (!editionId || !subscriberId || typeof mail.messageId !== 'string')
        return { kind: 'ignored', why: 'a send without our tags' };
      return { kind: 'accepted', editionId, subscriberId, messageId: mail.messageId };
    }
    case 'Bounce': {
      const bounce = obj(event.bounce);
      // Transient bounces (mailbox full, ...) may succeed later: only permanent ones suppress.
      if (bounce.bounceType !== 'Permanent')
        return { kind: 'ignored', why: `a ${String(bounce.bounceType).toLowerCase()} bounce` };
      return {
        kind: 'suppress',
        emails: addresses(bounce.bouncedRecipients),
        reason: 'bounce',
        detail: String(bounce.bounceSubType ?? ''),
      };
    }
    case 'Complaint': {
      const complaint = obj(event.complaint);
      return {
        kind: 'suppress',
        emails: addresses(complaint.complainedRecipients),
        reason: 'complaint',
        detail: String(complaint.complaintFeedbackType ?? ''),
      };
    }
    default:
      return {
        kind: 'ignored',
        why: type ? `${type} events are for the engagement statistics` : 'not an SES event',
      };
  }
}
