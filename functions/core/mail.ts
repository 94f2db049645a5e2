/**
 * Outgoing mail, as the domain sees it. A variant's mail is prepared once (its
 * envelope: sender, subject, tags) and then sent to each
 * recipient with their own bodies and links. Which headers a message carries, and how
 * its MIME is built, is decided in one place behind this port (adapters/ses/mime.ts),
 * for the send worker, the test send and the dry run alike.
 */

export interface Envelope {
  readonly from: { readonly name: string; readonly address: string };
  readonly subject: string;
  /** Where replies go: the post's own mailbox, not the sending domain's (Reply-To). */
  readonly replyTo: string;
  readonly editionId: string;
  /** SES message tags (edition, post, audience, variant): they come back on SES events. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * One recipient of a prepared mail: their address, id, one-click unsubscribe URL and bodies.
 * Staff mail (the monthly report digest) is no list: it has no unsubscribe URL, and
 * then no List-Unsubscribe headers.
 */
export interface Addressee {
  readonly to: string;
  readonly recipientId: string;
  readonly unsubscribeUrl?: string;
  readonly html: string;
  readonly text: string;
}

export interface PreparedMail {
  /** Sends one recipient's message; resolves with SES's message id. */
  send(addressee: Addressee): Promise<{ messageId: string }>;
}

export interface Mailer {
  /** Builds what is common to every recipient of a variant (the MIME template), once. */
  prepare(envelope: Envelope): Promise<PreparedMail>;
}
