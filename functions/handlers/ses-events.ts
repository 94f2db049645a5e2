import type { SNSEvent } from 'aws-lambda';
import { DynamoSendLedger } from '../adapters/dynamodb/ledger-repo';
import { interpretSesEvent } from '../core/ses-events';
import { lambdaContext } from './entry';

/** SES events (configuration set → SNS → this function): the ledger of accepted sends, and suppressions. */
export async function handler(
  event: SNSEvent,
): Promise<{ accepted: number; suppressed: number; ignored: number }> {
  const ctx = await lambdaContext();
  const ledger = new DynamoSendLedger(ctx.dynamo.doc, ctx.settings.tables.events);
  const counts = { accepted: 0, suppressed: 0, ignored: 0 };
  for (const record of event.Records) {
    let payload: unknown;
    try {
      payload = JSON.parse(record.Sns.Message);
    } catch {
      counts.ignored++;
      continue;
    }
    const meaning = interpretSesEvent(payload);
    if (meaning.kind === 'accepted') {
      // Kept 30 days: long enough for any retry of the send to consult it.
      const expiresAt = Math.floor(Date.now() / 1000) + 30 * 86_400;
      await ledger.record(meaning.editionId, meaning.subscriberId, meaning.messageId, expiresAt);
      counts.accepted++;
    } else if (meaning.kind === 'suppress') {
      for (const email of meaning.emails) {
        await ctx.repos.suppressions.put({
          email,
          reason: meaning.reason,
          at: new Date().toISOString(),
          ...(meaning.detail ? { detail: meaning.detail } : {}),
        });
        counts.suppressed++;
      }
    } else {
      counts.ignored++;
    }
  }
  return counts;
}
