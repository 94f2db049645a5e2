import { ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import type { Addressee, Envelope, Mailer } from '../core/mail';
import { HQ_POST, type Post } from '../core/model';
import { networkReport } from './network';
import { toHtml, toText } from './output';
import type { ReportDeps } from './ports';
import { postReport } from './post';
import { addMonths, periodOf, type Report } from './report';

/**
 * The monthly digest: last month's usage report mailed to each post's own mailbox
 * (post.replyTo, which its editors read) and the network report to HQ's. Every post
 * gets one, quiet or not: a month without an edition is itself what the post's
 * editors and HQ should see (adoption), and its list still grows or shrinks.
 */
export interface DigestDeps extends ReportDeps {
  readonly mailer: Mailer;
}

export interface DigestMessage {
  readonly post: string;
  readonly to: string;
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

const monthName = (month: string) =>
  new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/**
 * The report as mail: its tables, no charts (they are a <canvas> drawn by a script,
 * which mail clients do not run), so no script at all. Every value was escaped by toHtml.
 */
export const mailHtml = (report: Report): string =>
  toHtml({ ...report, charts: [] }, '')
    .replace(/<section class="charts"><\/section>\n?/, '')
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>\n?/g, '');

function message(post: Post, report: Report, month: string): DigestMessage {
  const about = post.code === HQ_POST ? 'the network' : post.name;
  const subject = `Monthly usage report: ${about}, ${monthName(month)}`;
  return {
    post: post.code,
    to: post.replyTo,
    subject,
    envelope: {
      from: post.sender,
      subject,
      replyTo: post.replyTo,
      editionId: `digest-${month}`,
      // `test`: the engagement recorder applies its events' effects but counts them in no figure.
      tags: { kind: 'digest', test: 'true', post: post.code, month },
    },
    // No unsubscribe URL: staff mail, not a list (no List-Unsubscribe headers).
    addressee: {
      to: post.replyTo,
      recipientId: `digest_${post.code}`,
      html: mailHtml(report),
      text: toText(report),
    },
  };
}

/** Sends one digest message through a mailer (SES, or files for a dry run). */
export async function sendDigest(mailer: Mailer, m: DigestMessage): Promise<string> {
  const prepared = await mailer.prepare(m.envelope);
  return (await prepared.send(m.addressee)).messageId;
}

/**
 * Builds each post's report of `month` (HQ: the network's) and mails it, or with
 * `dryRun` only returns the messages. Each message is audited (report.digest). A post
 * whose send fails does not stop the others; the failures are thrown together at the
 * end, so a scheduled run is seen to fail.
 */
export async function monthlyDigest(
  deps: DigestDeps,
  month: string,
  options: { readonly dryRun: boolean; readonly actor?: string },
): Promise<DigestMessage[]> {
  checkMonth(month, deps.clock.now());
  const period = periodOf(month, month, deps.clock.now());
  const posts = (await deps.posts.list()).sort((a, b) => a.code.localeCompare(b.code));
  const out: DigestMessage[] = [];
  const failed: string[] = [];
  for (const post of posts) {
    const report =
      post.code === HQ_POST ? await networkReport(deps, period) : await postReport(deps, post.code, period);
    const m = message(post, report, month);
    let messageId: string | undefined;
    if (!options.dryRun) {
      try {
        messageId = await sendDigest(deps.mailer, m);
      } catch (error) {
        failed.push(`${post.code}: ${(error as Error).message}`);
        continue;
      }
    }
    await deps.audit.record({
      id: newId('au'),
      at: deps.clock.now().toISOString(),
      actor: options.actor ?? 'scheduler',
      action: 'report.digest',
      ...(post.code === HQ_POST ? {} : { post: post.code }),
      target: { type: 'report', id: `${report.kind}:${report.subject}` },
      detail: { month, dryRun: options.dryRun, ...(messageId ? { messageId } : {}) },
    });
    out.push(messageId ? { ...m, messageId } : m);
  }
  if (failed.length) throw new Error(`monthly digest: ${failed.length} not sent (${failed.join('; ')})`);
  return out;
}
