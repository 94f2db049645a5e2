import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';
import type { QuotaSource } from '../../sending/ports';

/** The account's MaxSendRate and 24-hour quota (GetSendQuota). */
export const sesQuota = (ses: SESClient): QuotaSource => ({
  async quota() {
    const out = await ses.send(new GetSendQuotaCommand({}));
    return {
      maxSendRate: out.MaxSendRate ?? 1,
      max24HourSend: out.Max24HourSend ?? 0,
      sentLast24Hours: out.SentLast24Hours ?? 0,
    };
  },
});
