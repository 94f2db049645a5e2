import type { Personaliser, RecipientLinks } from '../render/personalise';
import type { RenderedVariant } from './editions';
import type { OutgoingMessage } from './mail';
import type { Post } from './model';

/** A variant's compiled personalisers: built once per variant, used for every recipient. */
export interface CompiledVariant {
  readonly render: RenderedVariant;
  readonly html: Personaliser;
  readonly text: Personaliser;
}

/**
 * One recipient's message: personalised HTML and text, and the one-click
 * unsubscribe headers that Gmail and Yahoo require of bulk senders (RFC 8058).
 */
export function composeMessage(
  post: Pick<Post, 'code' | 'sender'>,
  variant: CompiledVariant,
  recipient: { email: string; name: string | undefined; links: RecipientLinks },
  meta: { editionId: string; subjectPrefix?: string; unsubscribeMailto: string },
): OutgoingMessage {
  const r = { name: recipient.name, links: recipient.links };
  return {
    from: post.sender,
    to: recipient.email,
    subject: `${meta.subjectPrefix ?? ''}${variant.render.subject}`,
    html: variant.html(r),
    text: variant.text(r),
    headers: {
      'List-Unsubscribe': `<${recipient.links.unsubscribe}>, <mailto:${meta.unsubscribeMailto}?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Missive-Edition': meta.editionId,
    },
    tags: {
      edition: meta.editionId,
      post: post.code,
      audience: variant.render.audience,
      variant: `${variant.render.audience}-${variant.render.language}`,
    },
  };
}
