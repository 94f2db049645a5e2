import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCounter, reportScopes, scopes } from '../../functions/engagement/model';
import { makeReportDigestHandler } from '../../functions/handlers/report-digest';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { monthlyDigest } from '../../functions/reports/digest';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';

/**
 * The monthly digest on the local stack: counters of a month seeded as the engagement
 * recorder writes them, the digest mailed through the SES gate (aws-ses-v2-local's
 * /store and the raw MIME the gate keeps), its dry run and the CLI.
 */
let stack: LocalStack;
let dir: string;
const MONTH = '2026-03';

interface Stored {
  readonly messageId: string;
  readonly subject: string;
  readonly destination: { readonly to: string[] };
}
/** The digest's subject in each of its languages. */
const DIGEST_SUBJECT = /^(Monthly usage report|Rapport d’utilisation mensuel|Maandelijks gebruiksrapport)/;
const digests = async (): Promise<Stored[]> =>
  ((await (await fetch(`${stack.urls.ses}/store`)).json()) as { emails: Stored[] }).emails.filter((m) =>
    DIGEST_SUBJECT.test(m.subject),
  );

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(20) }));
  dir = await mkdtemp(join(tmpdir(), 'missive-digest-'));
  const tokyo = { editions: 1, sent: 200, delivered: 190, uopens_h: 57 };
  await stack.ctx.counters.add(scopes.postMonth('tokyo', MONTH), tokyo);
  await stack.ctx.counters.add(
    reportScopes.networkPosts(MONTH),
    Object.fromEntries(Object.entries(tokyo).map(([k, v]) => [postCounter(k, 'tokyo'), v])),
  );
  // Kinshasa (French): 1 complaint in 100 messages, over SES's line of 0.1 %.
  const kinshasa = { editions: 1, sent: 100, delivered: 100, uopens_h: 20, complained: 1 };
  await stack.ctx.counters.add(scopes.postMonth('kinshasa', MONTH), kinshasa);
  await stack.ctx.counters.add(
    reportScopes.networkPosts(MONTH),
    Object.fromEntries(Object.entries(kinshasa).map(([k, v]) => [postCounter(k, 'kinshasa'), v])),
  );
  await stack.ctx.counters.add(scopes.networkMonth(MONTH), {
    sent: 300,
    delivered: 290,
    uopens_h: 77,
    complained: 1,
  });
}, 120_000);
afterAll(async () => stack?.stop());

const digestDeps = () => ({ ...stack.ctx.reports, mailer: stack.ctx.mailer });

describe('the monthly digest', () => {
  it('writes nothing to SES in a dry run, and says what it would send, audited', async () => {
    const messages = await monthlyDigest(digestDeps(), MONTH, { dryRun: true, actor: 'tester' });
    const posts = await stack.ctx.repos.posts.list();
    expect(messages.map((m) => m.to).sort()).toEqual(posts.map((p) => p.replyTo).sort());
    expect(messages.every((m) => m.messageId === undefined)).toBe(true);
    // Its SES events count in no newsletter figure: the recorder reads these tags.
    expect(messages[0]?.envelope.tags).toMatchObject({ kind: 'digest', test: 'true' });
    expect(await digests()).toEqual([]);
    const audit = await stack.ctx.audit.list('tokyo');
    expect(audit.items[0]).toMatchObject({
      action: 'report.digest',
      actor: 'tester',
      target: { id: 'post:tokyo' },
      detail: { month: MONTH, dryRun: true },
    });
  });

  it("mails each post's digest to its mailbox in its language and the network's to HQ, no List-Unsubscribe", async () => {
    // The digest's own SES events (sent now) count in no newsletter figure of this month.
    const now = stack.ctx.clock.now().toISOString().slice(0, 7);
    const figuresNow = async () => [
      (await stack.ctx.counters.read(scopes.networkMonth(now))).counts,
      (await stack.ctx.counters.read(scopes.postMonth('tokyo', now))).counts,
      (await stack.ctx.counters.read(reportScopes.networkPosts(now))).counts,
    ];
    const before = await figuresNow();
    const messages = await monthlyDigest(digestDeps(), MONTH, { dryRun: false });
    await stack.ses.settled();
    expect(await figuresNow()).toEqual(before);
    const posts = await stack.ctx.repos.posts.list();
    const stored = await digests();
    expect(stored).toHaveLength(posts.length);
    for (const post of posts) {
      const mine = stored.filter((m) => m.destination.to.includes(post.replyTo));
      expect(mine, post.code).toHaveLength(1);
      // The post's default language (Kinshasa, Geneva, Casablanca: French; Berlin's German: English).
      expect(mine[0]?.subject, post.code).toBe(
        post.defaultLanguage === 'fr'
          ? `Rapport d’utilisation mensuel : ${post.names?.fr}, mars 2026`
          : `Monthly usage report: ${post.code === 'hq' ? 'the network' : (post.names?.en ?? post.name)}, March 2026`,
      );
    }

    const tokyo = messages.find((m) => m.post === 'tokyo');
    const raw = (await stack.ctx.outbox?.get(tokyo?.messageId ?? ''))?.toString('utf8') ?? '';
    expect(raw).toMatch(/^To: tokyo@diplomatie\.example/m);
    expect(raw).not.toMatch(/^List-Unsubscribe/im);
    const mail = await simpleParser(raw);
    const html = String(mail.html);
    // 57 human opens of 190 delivered: 30.0 %, in the key figures and the trend's bar, in both parts.
    expect(html).toMatch(/>Open rate \(human\)<\/td><td[^>]*>30\.0%<\/td>/);
    expect(html).toMatch(/>Recipients<\/td><td[^>]*>200<\/td>/);
    expect(html).toContain('opens 30.0%');
    expect(mail.text).toContain('- Open rate (human): 30.0%');
    expect(mail.text).toContain('- Mar 2026 (0 editions, 200 recipients): opens 30.0%, clicks 0.0%');
    // Mail clients run no script and show no SVG: bars are table cells.
    expect(html).not.toMatch(/<script|<canvas|<svg/);
    expect(html).not.toContain('Deliverability warnings');

    // Kinshasa reads French, its complaint rate (1 %) reaches SES's line: a warning first.
    const kinshasa = messages.find((m) => m.post === 'kinshasa');
    expect(kinshasa?.language).toBe('fr');
    const fr = await simpleParser(
      (await stack.ctx.outbox?.get(kinshasa?.messageId ?? '')) ?? Buffer.from(''),
    );
    expect(String(fr.html)).toContain('Alertes de délivrabilité');
    expect(fr.text).toContain(
      'taux de plaintes 1,00\u00a0% atteint le seuil de 0,10\u00a0% (examen par Amazon SES)',
    );
    expect(String(fr.html)).toContain('>Taux d’ouverture (humains)</td>');

    const hq = messages.find((m) => m.post === 'hq');
    const network = await simpleParser((await stack.ctx.outbox?.get(hq?.messageId ?? '')) ?? Buffer.from(''));
    expect(network.to && 'text' in network.to ? network.to.text : '').toBe('focus@diplomatie.example');
    expect(String(network.html)).toContain('The network');
    // The network's month: Tokyo first by human open rate (30 %), then Kinshasa (20 %), over a line.
    expect(network.text).toContain('Posts by open rate (human)\n- 1.');
    expect(network.text).toContain(
      '- Embassy of Belgium in the Democratic Republic of the Congo: complaint rate 1.00% reaches the line of 0.10% (Amazon SES review).',
    );
    expect(network.text).toMatch(
      /- 1\. Embassy of Belgium in Japan: opens 30\.0%, clicks 0\.0%\n- 2\. .*Congo: opens 20\.0%/,
    );
  });

  it('the scheduled function sends on the first working day only, the month before', async () => {
    const at = (iso: string) =>
      makeReportDigestHandler({ ...stack.ctx, clock: { now: () => new Date(iso) } });
    const before = (await digests()).length;
    // Thursday 2 April 2026: Wednesday the 1st was the first working day.
    expect(await at('2026-04-02T06:00:00Z')()).toEqual({ sent: 0 });
    expect((await digests()).length).toBe(before);
    const posts = await stack.ctx.repos.posts.list();
    expect(await at('2026-04-01T06:00:00Z')()).toEqual({ sent: posts.length });
    const sent = (await digests()).slice(before);
    expect(sent).toHaveLength(posts.length);
    expect(sent.every((m) => /, (March|mars) 2026$/.test(m.subject))).toBe(true);
  });

  it('CLI: --dry-run --out writes one .eml per post and sends nothing', SPAWNING, async () => {
    const before = (await digests()).length;
    const out = join(dir, 'dry');
    const run = await missive(
      ['report', 'digest', '--month', MONTH, '--dry-run', '--out', out],
      stackEnv(stack),
    );
    expect(run.stderr).toContain(`digest messages for ${MONTH}: dry run, written to ${out}`);
    expect(run.code).toBe(0);
    const posts = await stack.ctx.repos.posts.list();
    const files = (await readdir(out)).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(posts.length);
    expect(run.stdout.trim().split('\n')).toHaveLength(posts.length);
    expect(run.stdout).toMatch(/^tokyo\ttokyo@diplomatie\.example\ten\twould send\tMonthly usage report: /m);
    expect(run.stdout).toMatch(/^kinshasa\t\S+\tfr\twould send\tRapport d’utilisation mensuel : /m);
    const tokyoFile = files.find((f) => f.endsWith('digest_tokyo.eml')) ?? '';
    const mail = await simpleParser(await readFile(join(out, tokyoFile)));
    expect(String(mail.html)).toContain('30.0%');
    // The stack serves the web app: the digest links to the month's full report there.
    expect(mail.text).toContain(
      `${stack.ctx.settings.publicBaseUrl}/app/#/reports?kind=post&post=tokyo&from=${MONTH}&to=${MONTH}`,
    );
    expect(mail.headers.has('list-unsubscribe')).toBe(false);
    expect((await digests()).length).toBe(before);
  });

  it('CLI: a bad --month is one line, exit 2', SPAWNING, async () => {
    const bad = await missive(['report', 'digest', '--month', '2026-13', '--dry-run'], stackEnv(stack));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--month.*must be a month: YYYY-MM/);
    const future = await missive(['report', 'digest', '--month', '2999-01', '--dry-run'], stackEnv(stack));
    expect(future.code).toBe(2);
    expect(future.stderr.trim()).toBe('missive: month: 2999-01 has not started yet');
  });
});
