import { interpretSesEvent } from './interpret';
import type { EngagementEvent } from './model';
import type { AcceptedSends } from './ports';
import { type EngagementDeps, recordEvents } from './record';

/**
 * SES events, the use case: what SES tells us about the messages we sent, whether it
 * arrives through the configuration set's topic and queue (Lambda), an HTTPS
 * subscription (POST /ses/events), a replayed file (`missive events ingest`) or the
 * local SES gate, which publishes the same event JSON. One function records it all:
 *  - Send: the ledger of accepted sends (settles a claim a crash left unknown);
 *  - every event: recorded once and counted (engagement/record.ts), with its effects
 *    (hard bounces and complaints suppress; soft-bounce streaks);
 *  - a payload that is not an SES event, or a test send's event, is counted as
 *    ignored, never thrown: one bad record must not fail the batch it came in.
 */
export interface SesEventDeps extends EngagementDeps {
  readonly ledger: AcceptedSends;
}

export interface SesEventCounts {
  /** Send events entered in the ledger of accepted sends. */
  accepted: number;
  recorded: number;
  duplicates: number;
  suppressed: number;
  ignored: number;
}

/** How long the ledger keeps an accepted send: long enough for any retry of the send to consult it. */
const LEDGER_DAYS = 30;

export async function recordSesEvents(
  deps: SesEventDeps,
  payloads: readonly unknown[],
  /** Our own events of the same batch, recorded with these. */
  alongside: readonly EngagementEvent[] = [],
): Promise<SesEventCounts> {
  const counts: SesEventCounts = { accepted: 0, recorded: 0, duplicates: 0, suppressed: 0, ignored: 0 };
  const events: EngagementEvent[] = [...alongside];
  for (const payload of payloads) {
    const event = interpretSesEvent(payload);
    if (!event) {
      counts.ignored++;
      continue;
    }
    if (await recordLedger(deps, event)) counts.accepted++;
    events.push(event);
  }
  const recorded = await recordEvents(deps, events);
  counts.recorded = recorded.recorded;
  counts.duplicates = recorded.duplicates;
  counts.suppressed = recorded.suppressed;
  if (counts.suppressed > 0) deps.log.info('SES events suppressed addresses', { ...counts });
  return counts;
}

/**
 * Only the ledger entry of a Send event, at once (the local SES gate, before its
 * answer); the event itself is recorded with its batch later (the ledger write is
 * idempotent).
 */
export async function recordAcceptedSend(deps: SesEventDeps, payload: unknown): Promise<void> {
  const event = interpretSesEvent(payload);
  if (event) await recordLedger(deps, event);
}

/** A Send event with our ids enters the ledger of accepted sends; true when it did. */
async function recordLedger(deps: SesEventDeps, event: EngagementEvent): Promise<boolean> {
  if (event.kind !== 'send' || !event.editionId || !event.subscriberId || !event.messageId) return false;
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + LEDGER_DAYS * 86_400;
  await deps.ledger.record(event.editionId, event.subscriberId, event.messageId, expiresAt);
  return true;
}

/** The SES event in an SNS message body (SNS → Lambda, or an HTTPS subscription); undefined if not JSON. */
export function sesEventOfSnsMessage(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

/** One of our own events (pixel, click, web version), as the reader routes queue them. */
const isOurEvent = (v: unknown): v is EngagementEvent => {
  const o = v as Partial<EngagementEvent> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.kind === 'string' &&
    typeof o.id === 'string' &&
    typeof o.at === 'string' &&
    !('eventType' in o) &&
    !('notificationType' in o)
  );
};

/**
 * One batch of the engagement queue: our own events and SES events (raw, or in an
 * SNS envelope when the topic's raw delivery is off), recorded together so their
 * counters are written once for the batch.
 */
export async function recordEngagementBatch(
  deps: SesEventDeps,
  bodies: readonly unknown[],
): Promise<SesEventCounts> {
  const ours: EngagementEvent[] = [];
  const ses: unknown[] = [];
  for (const body of bodies) {
    if (isOurEvent(body)) ours.push(body);
    else {
      const envelope = body as { Type?: unknown; Message?: unknown } | null;
      ses.push(
        envelope?.Type === 'Notification' && typeof envelope.Message === 'string'
          ? sesEventOfSnsMessage(envelope.Message)
          : body,
      );
    }
  }
  return recordSesEvents(deps, ses, ours);
}
