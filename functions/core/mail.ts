/** Outgoing mail, as the domain sees it: the MIME building and SES call are adapters. */

export interface OutgoingMessage {
  readonly from: { readonly name: string; readonly address: string };
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers: List-Unsubscribe, List-Unsubscribe-Post, X-Missive-* ... */
  readonly headers: Readonly<Record<string, string>>;
  /** SES message tags (edition, post, audience, variant): they come back on SES events. */
  readonly tags: Readonly<Record<string, string>>;
  /** The MIME message already built (the send worker's per-variant template); else built from the fields. */
  readonly raw?: Buffer;
}

export interface Mailer {
  /** Sends one message; resolves with SES's message id. */
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}
