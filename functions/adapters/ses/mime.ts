import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMessage } from '../../core/mail';
import { compileSlots } from '../../render/slots';

/** The raw MIME message (multipart/alternative: text and HTML), built by nodemailer's MailComposer. */
export function buildMime(message: OutgoingMessage): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: message.from.name, address: message.from.address },
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: { ...message.headers },
    textEncoding: 'quoted-printable',
  });
  return composer.compile().build();
}

/**
 * A variant's MIME message as a template, built once by MailComposer (headers,
 * RFC 2047 encodings, boundaries) with the per-recipient parts left as slots: To,
 * Message-ID, Date, the List-Unsubscribe URL, the recipient header and the two
 * bodies. Each recipient then costs two base64 encodings and a join, where a full
 * MailComposer build costs a millisecond or more (bench:send).
 */
export interface RecipientMime {
  readonly to: string;
  readonly recipientId: string;
  readonly unsubscribeUrl: string;
  readonly html: string;
  readonly text: string;
}

const SLOTS = /@@(TO|MSGID|DATE|UNSUB|RECIPIENT|HTML|TEXT)@@/g;
const ASCII_ADDRESS = /^[\x21-\x7e]+@[\x21-\x7e]+$/;

const base64Lines = (s: string) => {
  const b = Buffer.from(s, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 76) lines.push(b.slice(i, i + 76));
  return lines.join('\r\n');
};

export async function mimeTemplate(
  message: Omit<OutgoingMessage, 'to' | 'html' | 'text'>,
  unsubscribeMailto: string,
): Promise<(r: RecipientMime) => Buffer> {
  const raw = (
    await new MailComposer({
      from: { name: message.from.name, address: message.from.address },
      to: 'slot-to@missive.invalid',
      subject: message.subject,
      messageId: '<slot-msgid@missive.invalid>',
      headers: {
        ...message.headers,
        'List-Unsubscribe': `<@@UNSUB@@>, <mailto:${unsubscribeMailto}?subject=unsubscribe>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-Missive-Recipient': '@@RECIPIENT@@',
      },
      text: {
        raw: 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n@@TEXT@@',
      },
      html: {
        raw: 'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n@@HTML@@',
      },
    } as ConstructorParameters<typeof MailComposer>[0])
      .compile()
      .build()
  )
    .toString('utf8')
    .replace('slot-to@missive.invalid', '@@TO@@')
    .replace('slot-msgid@missive.invalid', '@@MSGID@@')
    .replace(/^Date: .*$/m, 'Date: @@DATE@@');
  const fill = compileSlots(raw, SLOTS);
  const domain = message.from.address.split('@')[1] ?? 'missive.invalid';

  return (r) => {
    if (!ASCII_ADDRESS.test(r.to)) throw new Error('the MIME template takes plain ASCII addresses only');
    const values: Record<string, string> = {
      TO: r.to,
      MSGID: `${randomUUID()}@${domain}`,
      DATE: new Date().toUTCString().replace('GMT', '+0000'),
      UNSUB: r.unsubscribeUrl,
      RECIPIENT: r.recipientId,
      HTML: base64Lines(r.html),
      TEXT: base64Lines(r.text),
    };
    return Buffer.from(
      fill((slot) => values[slot] ?? ''),
      'utf8',
    );
  };
}
