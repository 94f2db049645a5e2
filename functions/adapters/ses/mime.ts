import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMessage } from '../../core/mail';

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
