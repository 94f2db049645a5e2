/**
 * The SES events the local gate publishes for an accepted message: the JSON SES
 * writes through a configuration set (event publishing, "eventType"), shaped as in
 * SES's documented examples. The outcome follows SES's mailbox simulator:
 *   success@simulator.amazonses.com, and any other address   Delivery
 *   ooto@simulator.amazonses.com           Delivery (SES adds an out-of-office reply, not an event)
 *   bounce@simulator.amazonses.com         Bounce Permanent / General (5.1.1)
 *   suppressionlist@simulator.amazonses.com  Bounce Permanent / OnAccountSuppressionList
 *   complaint@simulator.amazonses.com      Delivery, then Complaint (abuse)
 *   delay@simulator.amazonses.com          DeliveryDelay (local only: SES's simulator has no
 *                                          address for it; here so the path can be exercised)
 */
export interface AcceptedMessage {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly tags: Readonly<Record<string, string[]>>;
  readonly now: Date;
}

/** SES applies the simulator's outcome to labelled addresses too (bounce+label@...). */
const SIMULATOR = /^([a-z]+)(?:\+[^@]*)?@simulator\.amazonses\.com$/i;

export function sesEventsFor(m: AcceptedMessage): object[] {
  const at = m.now.toISOString();
  const mail = {
    timestamp: at,
    source: m.from,
    sourceArn: `arn:aws:ses:local:000000000000:identity/${m.from.replace(/^.*@/, '').replace(/>$/, '')}`,
    sendingAccountId: '000000000000',
    messageId: m.messageId,
    destination: [...m.to],
    headersTruncated: false,
    commonHeaders: { from: [m.from], to: [...m.to], messageId: m.messageId, subject: m.subject },
    tags: m.tags,
  };
  const event = (eventType: string, detail: Record<string, unknown>) => ({ eventType, mail, ...detail });
  const events: object[] = [event('Send', { send: {} })];
  const delivered: string[] = [];
  for (const address of m.to) {
    const kind = SIMULATOR.exec(address)?.[1]?.toLowerCase();
    if (kind === 'bounce' || kind === 'suppressionlist') {
      events.push(
        event('Bounce', {
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: kind === 'bounce' ? 'General' : 'OnAccountSuppressionList',
            bouncedRecipients: [
              {
                emailAddress: address,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode:
                  kind === 'bounce'
                    ? 'smtp; 550 5.1.1 user unknown'
                    : 'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
              },
            ],
            timestamp: at,
            feedbackId: `${m.messageId}-bounce`,
            reportingMTA: 'dsn; local.simulator.amazonses.com',
          },
        }),
      );
    } else if (kind === 'delay') {
      events.push(
        event('DeliveryDelay', {
          deliveryDelay: {
            timestamp: at,
            delayType: 'TransientCommunicationFailure',
            expirationTime: new Date(m.now.getTime() + 86_400_000).toISOString(),
            delayedRecipients: [
              { emailAddress: address, status: '4.4.1', diagnosticCode: 'smtp; 421 4.4.1 Unable to connect' },
            ],
          },
        }),
      );
    } else {
      delivered.push(address);
      if (kind === 'complaint') {
        events.push(
          event('Complaint', {
            complaint: {
              complainedRecipients: [{ emailAddress: address }],
              timestamp: at,
              feedbackId: `${m.messageId}-complaint`,
              userAgent: 'Amazon SES Mailbox Simulator',
              complaintFeedbackType: 'abuse',
              arrivalDate: at,
            },
          }),
        );
      }
    }
  }
  if (delivered.length > 0) {
    events.splice(
      1,
      0,
      event('Delivery', {
        delivery: {
          timestamp: at,
          processingTimeMillis: 0,
          recipients: delivered,
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'local.simulator.amazonses.com',
        },
      }),
    );
  }
  return events;
}
