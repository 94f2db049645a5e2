import { describe, expect, it } from 'vitest';
import { interpretSesEvent } from '../../functions/engagement/interpret';

const mail = (tags: Record<string, string[]> = {}) => ({
  messageId: '0100-abc',
  destination: ['a@example.org'],
  tags,
});

describe('SES events', () => {
  it('a Send event with our tags settles the ledger of accepted sends', () => {
    expect(
      interpretSesEvent({
        eventType: 'Send',
        mail: mail({ edition: ['ed_1'], recipient: ['sub_9'] }),
        send: {},
      }),
    ).toEqual({
      kind: 'accepted',
      editionId: 'ed_1',
      subscriberId: 'sub_9',
      messageId: '0100-abc',
    });
    expect(interpretSesEvent({ eventType: 'Send', mail: mail(), send: {} }).kind).toBe('ignored');
  });

  it('a permanent bounce and a complaint suppress the addresses; a transient bounce does not', () => {
    const permanent = {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: 'gone@example.org' }],
    };
    expect(interpretSesEvent({ eventType: 'Bounce', mail: mail(), bounce: permanent })).toEqual({
      kind: 'suppress',
      emails: ['gone@example.org'],
      reason: 'bounce',
      detail: 'General',
    });
    // The identity-notification shape ("notificationType") means the same.
    expect(interpretSesEvent({ notificationType: 'Bounce', mail: mail(), bounce: permanent }).kind).toBe(
      'suppress',
    );
    expect(
      interpretSesEvent({
        eventType: 'Bounce',
        mail: mail(),
        bounce: { ...permanent, bounceType: 'Transient' },
      }).kind,
    ).toBe('ignored');
    expect(
      interpretSesEvent({
        eventType: 'Complaint',
        mail: mail(),
        complaint: {
          complainedRecipients: [{ emailAddress: 'angry@example.org' }],
          complaintFeedbackType: 'abuse',
        },
      }),
    ).toEqual({ kind: 'suppress', emails: ['angry@example.org'], reason: 'complaint', detail: 'abuse' });
  });

  it('ignores what is not for it, without failing', () => {
    expect(interpretSesEvent({ eventType: 'Open', mail: mail() }).kind).toBe('ignored');
    expect(interpretSesEvent('garbage').kind).toBe('ignored');
  });
});
