import { ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import type { Addressee, Envelope, Mailer } from '../core/mail';
import { HQ_POST, type Post } from '../core/model';
import { networkData } from './benchmark';
import { type DigestData, networkDigest, postDigest } from './digest-data';
import { type DigestLanguage, digestLanguages } from './digest-labels';
import { digestMail } from './digest-mail';
import type { ReportDeps } from './ports';
import { addMonths, periodOf } from './report';

/**
 * The monthly digest: last month's usage in brief, mailed to each post's own mailbox
 * (post.replyTo, which its editors read) in their language, and the network's to HQ's:
 * key figures, bar charts of the month's editions and of the last six months,
 * deliverability warnings, a link to the full report in the web app. Every post gets
 * one, quiet or not: a month without an edition is itself what the post's editors and
 * HQ should see (adoption), and its list still grows or shrinks.
 */
export interface DigestDeps extends ReportDeps {
  readonly mailer: Mailer;
  /** The web app's base URL (…/app/), for a link to the full report; none when unknown. */
  readonly appUrl?: string | undefined;
}

export interface DigestMessage {
  readonly post: string;
  readonly to: string;
  readonly language: DigestLanguage;
  readonly subject: string;
  readonly envelope: Envelope;
  readonly addressee: Addressee;
  /** SES's message id once sent; undefined in a dry run. */
  readonly messageId?: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month someone typed (YYYY-MM), no later than the current one. */
export function checkMonth(value: string, now: Date): string {
  if (!MONTH.test(value)) throw new ValidationError(`month: "${value}" is not a month (YYYY-MM)`);
  if (value > now.toISOString().slice(0, 7)) throw new ValidationError(`month: ${value} has not started yet`);
  return value;
}

/** The month before the one `now` falls in (UTC): what the digest is about. */
export const previousMonth = (now: Date): string => addMonths(now.toISOString().slice(0, 7), -1);

/**
 * Whether `now` (UTC) is the month's first working day: Monday to Friday, with no
 * weekday before it in the month. EventBridge cron cannot say this, so the rule runs
 * on days 1 to 4 and the function asks here (public holidays are not known: a
 * holiday on that day still gets the digest).
 */
export function isFirstWorkingDay(now: Date): boolean {
  const isWeekday = (d: Date) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  if (!isWeekday(now)) return false;
  for (let day = 1; day < now.getUTCDate(); day++)
    if (isWeekday(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), day)))) return false;
  return true;
}

/** The staff web app's address (settings: MISSIVE_APP_URL on AWS, /app/ of the local stack), for the digest's links. */
export const webAppUrl = (settings: { readonly appUrl: string | undefined }): string | undefined =>
  settings.appUrl;

async function message(
  post: Post,
  data: DigestData,
  language: DigestLanguage,
  appUrl?: string,
): Promise<DigestMessage> {
  const mail = await digestMail(data, language, { appUrl });
  // HQ may get the network digest in two languages: one message (and recipient id) each.
  const second = post.code === HQ_POST && language !== 'en';
  return {
    post: post.code,
    to: post.replyTo,
    language,
    subject: mail.subject,
    envelope: {
      from: post.sender,
      subject: mail.subject,
      replyTo: post.replyTo,
      editionId: `digest-${data.month}`,
      // `test`: the engagement recorder applies its events' effects but counts them in no figure.
      tags: { kind: 'digest', test: 'true', post: post.code, month: data.month },
    },
    // No unsubscribe URL: staff mail, not a list (no List-Unsubscribe headers).
    addressee: {
      to: post.replyTo,
      recipientId: `digest_${post.code}${second ? `_${language}` : ''}`,
      html: mail.html,
      text: mail.text,
    },
  };
}

/** Sends one digest message through a mailer (SES, or files for a dry run). */
export async function sendDigest(mailer: Mailer, m: DigestMessage): Promise<string> {
  const prepared = await mailer.prepare(m.envelope);
  return (await prepared.send(m.addressee)).messageId;
}

/**
 * Builds each post's digest of `month` (HQ: the network's) in its readers' language
 * (digest-labels.ts) and mails it, or with `dryRun` only returns the messages. The
 * network's figures of the month are read once for every post. Each message is
 * audited (report.digest). A post whose send fails does not stop the others; the
 * failures are thrown together at the end, so a scheduled run is seen to fail.
 */
export async function monthlyDigest(
  deps: DigestDeps,
  month: string,
  options: { readonly dryRun: boolean; readonly actor?: string },
): Promise<DigestMessage[]> {
  checkMonth(month, deps.clock.now());
  const network = await networkData(deps, periodOf(month, month, deps.clock.now()));
  const posts = (await deps.posts.list()).sort((a, b) => a.code.localeCompare(b.code));
  const out: DigestMessage[] = [];
  const failed: string[] = [];
  for (const post of posts) {
    const data =
      post.code === HQ_POST
        ? await networkDigest(deps, post, month, network)
        : await postDigest(deps, post, month, network);
    for (const language of digestLanguages(post)) {
      const m = await message(post, data, language, deps.appUrl);
      let messageId: string | undefined;
      if (!options.dryRun) {
        try {
          messageId = await sendDigest(deps.mailer, m);
        } catch (error) {
          failed.push(`${post.code} (${language}): ${(error as Error).message}`);
          continue;
        }
      }
      await deps.audit.record({
        id: newId('au'),
        at: deps.clock.now().toISOString(),
        actor: options.actor ?? 'scheduler',
        action: 'report.digest',
        ...(post.code === HQ_POST ? {} : { post: post.code }),
        target: { type: 'report', id: post.code === HQ_POST ? 'network:network' : `post:${post.code}` },
        detail: { month, language, dryRun: options.dryRun, ...(messageId ? { messageId } : {}) },
      });
      out.push(messageId ? { ...m, messageId } : m);
    }
  }
  if (failed.length) throw new Error(`monthly digest: ${failed.length} not sent (${failed.join('; ')})`);
  return out;
}
