import { compileVariant } from '../render/personalise';
import type { Labels } from '../render/templates';
import { composeMessage } from './compose-message';
import { type EditionDeps, variantRender } from './edition-service';
import type { Edition } from './editions';
import { NotFoundError, ValidationError } from './errors';
import type { Mailer } from './mail';
import { recipientLinks } from './recipient-links';
import type { LinkKey } from './signed-links';

export interface MailDeps extends EditionDeps {
  readonly mailer: Mailer;
  readonly labels: (language: string) => Labels;
  readonly links: { readonly baseUrl: string; readonly keys: readonly LinkKey[] };
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[a-z]{2,}$/i;

/** The unsubscribe mailbox of a post's sender domain (the mailto of List-Unsubscribe). */
export const unsubscribeMailbox = (senderAddress: string) =>
  `unsubscribe@${senderAddress.split('@')[1] ?? 'invalid'}`;

/**
 * Sends one variant, exactly as subscribers would get it, to a few staff addresses,
 * with "[TEST]" before the subject. The links carry a test subscriber id: they work
 * and change nobody's subscription.
 */
export async function testSend(
  deps: MailDeps,
  edition: Edition,
  audience: string,
  language: string,
  to: readonly string[],
): Promise<{ to: string; messageId: string }[]> {
  if (to.length === 0 || to.length > 10) throw new ValidationError('to: give 1 to 10 addresses');
  const bad = to.find((a) => !EMAIL.test(a));
  if (bad !== undefined) throw new ValidationError(`to: "${bad}" is not an email address`);
  const post = await deps.posts.get(edition.post);
  if (!post) throw new NotFoundError(`no post "${edition.post}"`);
  const compiled = compileVariant(
    await variantRender(deps, edition, audience, language),
    deps.labels(language),
  );
  const links = recipientLinks(deps.links.baseUrl, deps.links.keys, {
    subscriberId: 'sub_test',
    editionId: edition.id,
    post: post.code,
    audience,
    language,
  });
  const sent: { to: string; messageId: string }[] = [];
  for (const address of to) {
    const message = composeMessage(
      post,
      compiled,
      { email: address, name: undefined, links },
      {
        editionId: edition.id,
        subjectPrefix: '[TEST] ',
        unsubscribeMailto: unsubscribeMailbox(post.sender.address),
      },
    );
    sent.push({
      to: address,
      ...(await deps.mailer.send({ ...message, tags: { ...message.tags, test: 'true' } })),
    });
  }
  return sent;
}
