import type { Logger } from '../core/log';
import { recordSesEvents, type SesEventCounts, type SesEventDeps } from './ses-events';
import {
  checkSubscribeUrl,
  type HttpsGet,
  SnsMessageRefused,
  type SnsVerifyDeps,
  verifySnsMessage,
} from './sns-verify';

/**
 * SES events over an HTTPS subscription to an SNS topic (`POST /ses/events`): a
 * message is verified first; a SubscriptionConfirmation for the expected topic is
 * confirmed by fetching its SubscribeURL (SNS's own host only); a Notification's
 * Message is the SES event, recorded by the same use case as the Lambda's. Anything
 * refused records nothing.
 */
export interface SnsEndpointDeps extends SnsVerifyDeps {
  /** GET of the SubscribeURL (the port the certificates are fetched through, in practice). */
  readonly confirm: HttpsGet;
  readonly log: Logger;
}

export type SnsEndpointResult =
  | { readonly type: 'Notification'; readonly recorded: SesEventCounts }
  | { readonly type: 'SubscriptionConfirmation'; readonly confirmed: true }
  | { readonly type: 'UnsubscribeConfirmation'; readonly ignored: true };

export async function receiveSnsMessage(
  deps: SnsEndpointDeps,
  engagement: SesEventDeps,
  body: string,
): Promise<SnsEndpointResult> {
  const message = await verifySnsMessage(deps, body);
  if (message.Type === 'SubscriptionConfirmation') {
    const url = checkSubscribeUrl(message.SubscribeURL ?? '', message.TopicArn);
    if (!url)
      throw new SnsMessageRefused('SNS message refused: SubscribeURL is not SNS confirming this topic');
    try {
      await deps.confirm(url);
    } catch {
      // SNS resends the confirmation; a 403 now tells the operator it did not take.
      throw new SnsMessageRefused('SNS message refused: the subscription could not be confirmed');
    }
    deps.log.info('SNS subscription confirmed', { topicArn: message.TopicArn });
    return { type: 'SubscriptionConfirmation', confirmed: true };
  }
  if (message.Type === 'UnsubscribeConfirmation') {
    // Signed by SNS for our topic: someone removed the subscription. Say so; change nothing.
    deps.log.warn('SNS subscription removed', { topicArn: message.TopicArn });
    return { type: 'UnsubscribeConfirmation', ignored: true };
  }
  let event: unknown;
  try {
    event = JSON.parse(message.Message);
  } catch {
    throw new SnsMessageRefused('SNS message refused: its Message is not JSON (not an SES event)');
  }
  return { type: 'Notification', recorded: await recordSesEvents(engagement, [event]) };
}
