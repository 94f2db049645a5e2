import { NotFoundError, quoted, ValidationError } from '../core/errors';
import type { Mailer } from '../core/mail';
import type { Edition } from '../editions/model';
import { type EditionDeps, variantRender } from '../editions/service';
import type { Labels } from '../rendering/templates';
import { checkAddress } from '../subscribers/address';
import { addressee, type MessageLinks, prepareVariantMail } from './message';

export interface MailDeps extends EditionDeps {
  readonly mailer: Mailer;
  readonly labels: (language: string) => Labels;
  readonly links: MessageLinks;
}

/**
 * Sends one variant, exactly as subscribers would get it, to a few staff addresses,
 * with "[TEST] " before the subject. The links carry a test subscriber id: they work
 * and change nobody's subscription.
 */
export async function testSend(
  deps: MailDeps,
  edition: Edition,
  audience: string,
  language: string,
  to: readonly string[],
): Promise<{ to: string; messageId: string }[]> {
  // Each address once (case aside), spaces around it ignored.
  // The project's one address check (subscribers/address.ts); each address once, case aside.
  const byKey = new Map<string, string>();
  for (const typed of to) {
    const check = checkAddress(typed);
    if (!check.ok || !check.deliverable)
      throw new ValidationError(`to: ${quoted(typed.trim())} is not one email address`);
    if (!byKey.has(check.email.toLowerCase())) byKey.set(check.email.toLowerCase(), check.email);
  }
  const unique = [...byKey.values()];
  if (unique.length === 0 || unique.length > 10) throw new ValidationError('to: give 1 to 10 addresses');
  const post = await deps.posts.get(edition.post);
  if (!post) throw new NotFoundError(`no post "${edition.post}"`);
  const vm = await prepareVariantMail(
    deps.mailer,
    post,
    edition,
    await variantRender(deps, edition, audience, language),
    deps.labels(language),
    { test: true },
  );
  const sent: { to: string; messageId: string }[] = [];
  for (const address of unique) {
    const a = addressee(vm, deps.links, { id: 'sub_test', email: address, name: undefined });
    sent.push({ to: address, ...(await vm.mail.send(a)) });
  }
  return sent;
}
