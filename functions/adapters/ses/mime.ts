import { randomBytes, randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWord } from 'nodemailer/lib/mime-funcs';
import type { Addressee, Envelope } from '../../core/mail';
import { compileSlots } from '../../rendering/slots';

/**
 * The one place that decides what an outgoing message carries. Every message (send
 * worker, test send, dry run, crisis alerts, confirmation and welcome mails) gets:
 *  - Reply-To: the post's own address, so replies reach the post;
 *  - List-Unsubscribe (the recipient's one-click URL only: no mailto, which would
 *    reach no mailbox; docs/decisions.md) and List-Unsubscribe-Post, which Gmail and
 *    Yahoo require of bulk senders (RFC 8058);
 *    (left out of staff mail, which has no unsubscribe URL: the monthly digest);
 *  - X-Missive-Edition and X-Missive-Recipient (ids only, never an address);
 *  - SES tags: the envelope's, plus the recipient's id (they come back on SES events).
 */
export function mailHeaders(envelope: Envelope, a: Pick<Addressee, 'unsubscribeUrl' | 'recipientId'>) {
  return {
    ...(a.unsubscribeUrl === undefined
      ? {}
      : {
          'List-Unsubscribe': `<${a.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }),
    'X-Missive-Edition': envelope.editionId,
    'X-Missive-Recipient': a.recipientId,
  };
}

export const mailTags = (envelope: Envelope, a: Pick<Addressee, 'recipientId'>) => ({
  ...envelope.tags,
  recipient: a.recipientId,
});

/**
 * A subject someone typed that looks like an RFC 2047 encoded word ("=?UTF-8?B?…?=")
 * would be decoded by mail clients into other text: it is encoded itself, so readers
 * see exactly what was typed (as the preview shows it).
 */
const literalSubject = (subject: string) => (subject.includes('=?') ? encodeWord(subject, 'B', 52) : subject);

const ASCII_ADDRESS = /^[\x21-\x7e]+@[\x21-\x7e]+$/;

const base64Lines = (s: string) => {
  const b = Buffer.from(s, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 76) lines.push(b.slice(i, i + 76));
  return lines.join('\r\n');
};

/** A full MailComposer build: for addresses beyond ASCII (RFC 2047 / SMTPUTF8 encodings). */
function buildFull(envelope: Envelope, a: Addressee): Promise<Buffer> {
  return new MailComposer({
    from: { name: envelope.from.name, address: envelope.from.address },
    replyTo: envelope.replyTo,
    to: a.to,
    subject: literalSubject(envelope.subject),
    text: a.text,
    html: a.html,
    headers: mailHeaders(envelope, a),
    textEncoding: 'quoted-printable',
  })
    .compile()
    .build();
}

/**
 * A variant's MIME message as a template, built once by MailComposer (headers,
 * RFC 2047 encodings, boundaries) with the per-recipient parts left as slots: To,
 * Message-ID, Date, the List-Unsubscribe URL, the recipient header and the two
 * bodies. Each recipient then costs two base64 encodings and a join, where a full
 * MailComposer build costs a millisecond or more (bench:send).
 *
 * The slot markers carry a random nonce drawn for this template, so text a person
 * typed (a subject containing "@@TO@@") can never be taken for a slot.
 */
export async function prepareMime(envelope: Envelope): Promise<(a: Addressee) => Promise<Buffer>> {
  const listed = await mimeTemplate(envelope, true);
  // Staff mail without an unsubscribe URL gets its own template, made on first use.
  let unlisted: Promise<(a: Addressee) => Buffer> | undefined;
  return async (a) => {
    // Header values from the template must stay on one line: refuse what would break it.
    if (/[\r\n]/.test((a.unsubscribeUrl ?? '') + a.recipientId))
      throw new Error('a recipient id or link contains a line break');
    if (!ASCII_ADDRESS.test(a.to)) return buildFull(envelope, a);
    if (a.unsubscribeUrl !== undefined) return listed(a);
    unlisted ??= mimeTemplate(envelope, false);
    return (await unlisted)(a);
  };
}

/** The template of prepareMime, with the List-Unsubscribe slot (`listed`) or without those headers. */
async function mimeTemplate(envelope: Envelope, listed: boolean): Promise<(a: Addressee) => Buffer> {
  const nonce = randomBytes(9).toString('hex');
  const slot = (name: string) => `@@${nonce}${name}@@`;
  const raw = (
    await new MailComposer({
      from: { name: envelope.from.name, address: envelope.from.address },
      replyTo: envelope.replyTo,
      to: 'slot-to@missive.invalid',
      subject: literalSubject(envelope.subject),
      messageId: '<slot-msgid@missive.invalid>',
      headers: mailHeaders(envelope, {
        ...(listed ? { unsubscribeUrl: slot('UNSUB') } : {}),
        recipientId: slot('RECIPIENT'),
      }),
      text: {
        raw: `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${slot('TEXT')}`,
      },
      html: {
        raw: `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${slot('HTML')}`,
      },
    } as ConstructorParameters<typeof MailComposer>[0])
      .compile()
      .build()
  )
    .toString('utf8')
    .replace('slot-to@missive.invalid', slot('TO'))
    .replace('slot-msgid@missive.invalid', slot('MSGID'))
    .replace(/^Date: .*$/m, `Date: ${slot('DATE')}`);
  const fill = compileSlots(raw, new RegExp(`@@${nonce}(TO|MSGID|DATE|UNSUB|RECIPIENT|HTML|TEXT)@@`, 'g'));
  const domain = envelope.from.address.split('@')[1] ?? 'missive.invalid';

  return (a) => {
    const values: Record<string, string> = {
      TO: a.to,
      MSGID: `${randomUUID()}@${domain}`,
      DATE: new Date().toUTCString().replace('GMT', '+0000'),
      UNSUB: a.unsubscribeUrl ?? '',
      RECIPIENT: a.recipientId,
      HTML: base64Lines(a.html),
      TEXT: base64Lines(a.text),
    };
    return Buffer.from(
      fill((name) => values[name] ?? ''),
      'utf8',
    );
  };
}
