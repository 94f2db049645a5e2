import type { Context, ScheduledEvent } from 'aws-lambda';
import { type AppContext, MAIL } from '../app';
import { isFirstWorkingDay, monthlyDigest, previousMonth, webAppUrl } from '../reports/digest';
import { lambdaContext } from './entry';

/**
 * EventBridge at 06:00 UTC on days 1 to 4 of the month: on the first working day,
 * mails last month's digest to each post's mailbox (in its language) and the network's to HQ's;
 * on the other days it does nothing.
 */
export const makeReportDigestHandler = (ctx: AppContext) => async (): Promise<{ sent: number }> => {
  const now = ctx.clock.now();
  if (!isFirstWorkingDay(now)) return { sent: 0 };
  const month = previousMonth(now);
  const sent = await monthlyDigest(
    { ...ctx.reports, mailer: ctx.mailer, appUrl: webAppUrl(ctx.settings) },
    month,
    { dryRun: false },
  );
  ctx.log.info('monthly digest sent', { month, messages: sent.length });
  return { sent: sent.length };
};

export async function handler(_event: ScheduledEvent, context?: Context): Promise<{ sent: number }> {
  return makeReportDigestHandler(await lambdaContext(MAIL, context))();
}
