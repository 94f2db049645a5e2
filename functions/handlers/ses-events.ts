import type { SNSEvent } from 'aws-lambda';
import type { AppContext } from '../app';
import { recordSesEvents, sesEventOfSnsMessage } from '../engagement/ses-events';
import { lambdaContext } from './entry';

/** SES events (configuration set → SNS → this function): one domain call per delivery. */
export const makeSesEventsHandler = (ctx: AppContext) => (event: SNSEvent) =>
  recordSesEvents(
    ctx.engagement,
    event.Records.map((r) => sesEventOfSnsMessage(r.Sns.Message)),
  );

export async function handler(event: SNSEvent) {
  return makeSesEventsHandler(await lambdaContext())(event);
}
