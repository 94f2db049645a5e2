import type { Logger } from '../core/log';
import type { Clock } from '../core/ports';
import { interpretSesEvent } from './interpret';
import type { AcceptedSends, Suppressions } from './ports';

/**
 * SES events, the use case: what SES tells us about the messages we sent, whether it
 * arrives from the configuration set's SNS topic (Lambda) or from the local SES gate,
 * which publishes the same event JSON. One function records it all:
 *  - Send: the ledger of accepted sends (settles a claim a crash left unknown);
 *  - a permanent Bounce or a Complaint: the address is suppressed for every post;
 *  - anything else is counted as ignored here (engagement counters come next).
 * A payload that is not an SES event is counted, never thrown: one bad record must
 * not fail the batch it came in.
 */
export interface SesEventDeps {
  readonly ledger: AcceptedSends;
  readonly suppressions: Suppressions;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface SesEventCounts {
  accepted: number;
  suppressed: number;
  ignored: number;
}

/** How long the ledger keeps an accepted send: long enough for any retry of the send to consult it. */
const LEDGER_DAYS = 30;

export async function recordSesEvents(
  deps: SesEventDeps,
  payloads: readonly unknown[],
): Promise<SesEventCounts> {
  const counts: SesEventCounts = { accepted: 0, suppressed: 0, ignored: 0 };
  const now = deps.clock.now();
  for (const payload of payloads) {
    const meaning = interpretSesEvent(payload);
    if (meaning.kind === 'accepted') {
      const expiresAt = Math.floor(now.getTime() / 1000) + LEDGER_DAYS * 86_400;
      await deps.ledger.record(meaning.editionId, meaning.subscriberId, meaning.messageId, expiresAt);
      counts.accepted++;
    } else if (meaning.kind === 'suppress') {
      for (const email of meaning.emails) {
        await deps.suppressions.put({
          email,
          reason: meaning.reason,
          at: now.toISOString(),
          ...(meaning.detail ? { detail: meaning.detail } : {}),
        });
        counts.suppressed++;
      }
    } else {
      counts.ignored++;
    }
  }
  if (counts.suppressed > 0) deps.log.info('SES events suppressed addresses', { ...counts });
  return counts;
}

/** The SES event in an SNS message body (SNS → Lambda, or an HTTPS subscription); undefined if not JSON. */
export function sesEventOfSnsMessage(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}
