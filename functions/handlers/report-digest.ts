import type { Context, ScheduledEvent } from 'aws-lambda';
import { MAIL } from '../app';
import { isFirstWorkingDay, monthlyDigest, previousMonth } from '../reports/digest';
import { lambdaContext } from './entry';

/**
 * EventBridge at 06:00 UTC on days 1 to 4 of the month: on the first working day,
 * mails last month's report to each post's mailbox and the network report to HQ's.
 */
export async function handler(_event: ScheduledEvent, context?: Context): Promise<{ sent: number }> {
  const ctx = await lambdaContext(MAIL, context);
  const now = ctx.clock.now();
  if (!isFirstWorkingDay(now)) return { sent: 0 };
  const sent = await monthlyDigest({ ...ctx.reports, mailer: ctx.mailer }, previousMonth(now), {
    dryRun: false,
  });
  ctx.log.info('monthly digest sent', { month: previousMonth(now), messages: sent.length });
  return { sent: sent.length };
}
