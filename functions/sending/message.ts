import type { Addressee, Mailer, PreparedMail } from '../core/mail';
import type { Post } from '../core/model';
import { recipientLinks } from '../core/recipient-links';
import type { LinkKey } from '../core/signed-links';
import type { Edition, RenderedVariant } from '../editions/model';
import { type CompiledVariant, compileVariant } from '../rendering/personalise';
import type { Labels } from '../rendering/templates';

/**
 * One variant's mail, ready for its recipients: the personalisers (compiled once) and
 * the prepared envelope (its MIME template, built once). The send worker, the test
 * send and the dry run all go through here, so a person gets the same message
 * whichever of them built it.
 */
export interface VariantMail {
  readonly variant: CompiledVariant;
  readonly mail: PreparedMail;
  readonly post: Pick<Post, 'code'>;
  readonly editionId: string;
  /** A test send: its links work but count nothing, and it has no open pixel. */
  readonly test?: boolean;
}

export interface MessageLinks {
  readonly baseUrl: string;
  readonly keys: readonly LinkKey[];
}

export async function prepareVariantMail(
  mailer: Mailer,
  post: Pick<Post, 'code' | 'sender' | 'replyTo'>,
  edition: Pick<Edition, 'id'>,
  render: RenderedVariant,
  labels: Labels,
  options: { test?: boolean } = {},
): Promise<VariantMail> {
  const variant = compileVariant(render, labels);
  const mail = await mailer.prepare({
    from: post.sender,
    replyTo: post.replyTo,
    subject: `${options.test ? '[TEST] ' : ''}${render.subject}`,
    editionId: edition.id,
    tags: {
      edition: edition.id,
      post: post.code,
      audience: render.audience,
      variant: `${render.audience}-${render.language}`,
      language: render.language,
      ...(options.test ? { test: 'true' } : {}),
    },
  });
  return { variant, mail, post, editionId: edition.id, ...(options.test ? { test: true } : {}) };
}

/** One recipient's message: their signed links, name and address in the variant's mail. */
export function addressee(
  vm: VariantMail,
  links: MessageLinks,
  recipient: { readonly id: string; readonly email: string; readonly name: string | undefined },
): Addressee {
  const own = recipientLinks(links.baseUrl, links.keys, {
    subscriberId: recipient.id,
    editionId: vm.editionId,
    post: vm.post.code,
    audience: vm.variant.render.audience,
    language: vm.variant.render.language,
    ...(vm.test ? { test: true } : {}),
  });
  const { open, ...untracked } = own;
  const r = { name: recipient.name, links: vm.test ? untracked : { ...untracked, open } };
  return {
    to: recipient.email,
    recipientId: recipient.id,
    unsubscribeUrl: own.unsubscribe,
    html: vm.variant.html(r),
    text: vm.variant.text(r),
  };
}
