import { describe, expect, it } from 'vitest';
import { prepareMime } from '../../functions/adapters/ses/mime';
import type { Envelope } from '../../functions/core/mail';
import { type Language, Post } from '../../functions/core/model';
import { checkMonth, isFirstWorkingDay, previousMonth } from '../../functions/reports/digest';
import type { NetworkDigest, PostDigest } from '../../functions/reports/digest-data';
import { digestLanguages } from '../../functions/reports/digest-labels';
import { digestMail } from '../../functions/reports/digest-mail';
import { figures, listGrowth } from '../../functions/reports/metrics';
import seedPosts from '../../seeds/posts.json' with { type: 'json' };

const at = (day: string) => new Date(`${day}T06:00:00Z`);

describe('the monthly digest runs on the first working day of the month', () => {
  it('is the 1st when it is a weekday (Thursday 1 January 2026, Friday 1 May 2026)', () => {
    expect(isFirstWorkingDay(at('2026-01-01'))).toBe(true);
    expect(isFirstWorkingDay(at('2026-01-02'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-05-01'))).toBe(true);
    // Monday 4 May: Friday the 1st was the first working day.
    expect(isFirstWorkingDay(at('2026-05-04'))).toBe(false);
  });

  it('is the Monday after a weekend that starts the month', () => {
    // 1 August 2026 is a Saturday, 1 November 2026 a Sunday.
    expect(isFirstWorkingDay(at('2026-08-01'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-08-02'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-08-03'))).toBe(true);
    expect(isFirstWorkingDay(at('2026-08-04'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-11-01'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-11-02'))).toBe(true);
    expect(isFirstWorkingDay(at('2026-11-03'))).toBe(false);
  });

  it('reports the month before, across a year', () => {
    expect(previousMonth(at('2026-01-01'))).toBe('2025-12');
    expect(previousMonth(at('2026-08-03'))).toBe('2026-07');
  });

  it('refuses a month that is not one, or has not started, naming it', () => {
    const now = at('2026-08-03');
    expect(checkMonth('2026-07', now)).toBe('2026-07');
    expect(checkMonth('2026-08', now)).toBe('2026-08');
    expect(() => checkMonth('2026-13', now)).toThrow('month: "2026-13" is not a month (YYYY-MM)');
    expect(() => checkMonth('July', now)).toThrow('month: "July" is not a month (YYYY-MM)');
    expect(() => checkMonth('2026-09', now)).toThrow('month: 2026-09 has not started yet');
  });
});

describe('staff mail without an unsubscribe URL', () => {
  const envelope: Envelope = {
    from: { name: 'Embassy', address: 'tokyo@newsletter.example.org' },
    subject: 'Monthly usage report',
    replyTo: 'tokyo@diplomatie.example',
    editionId: 'digest-2026-07',
    tags: { kind: 'digest', test: 'true' },
  };
  const bodies = { recipientId: 'digest_tokyo', html: '<p>Figures</p>', text: 'Figures' };

  it('has no List-Unsubscribe headers, in the template build and in the full build (address beyond ASCII)', async () => {
    const build = await prepareMime(envelope);
    for (const to of ['tokyo@diplomatie.example', 'tōkyō@diplomatie.example']) {
      const raw = (await build({ to, ...bodies })).toString('utf8');
      expect(raw, to).not.toMatch(/^List-Unsubscribe/im);
      expect(raw, to).toMatch(/^X-Missive-Recipient: digest_tokyo/m);
      expect(raw, to).toContain('Reply-To: tokyo@diplomatie.example');
    }
  });

  it('keeps both headers for a newsletter recipient of the same template', async () => {
    const build = await prepareMime(envelope);
    const unsubscribeUrl = 'https://news.example.org/unsubscribe?token=t';
    for (const to of ['someone@example.org', 'sömeone@example.org']) {
      const raw = (await build({ to, unsubscribeUrl, ...bodies })).toString('utf8');
      expect(raw, to).toContain(`List-Unsubscribe: <${unsubscribeUrl}>`);
      expect(raw, to).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    }
  });
});

describe('the digest speaks its readers’ language, with charts that need no script or image', () => {
  const post = (code: string, defaultLanguage: Language): Post =>
    Post.parse({
      ...seedPosts.find((p) => p.code === 'tokyo'),
      code,
      defaultLanguage,
      languages: ['en', 'fr', 'nl', 'de'],
    });
  const tokyo = post('tokyo', 'en');
  const months = ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'];
  const data = (p: Post, bounces = 0): PostDigest => ({
    kind: 'post',
    post: p,
    month: '2026-03',
    // 57 human opens and 9 human clicks of 190 delivered: 30.0 % and 4.7 %.
    totals: figures({ sent: 200, delivered: 190, uopens_h: 57, uclicks_h: 9, bounced_hard: bounces }),
    trend: months.map((month, i) => ({
      month,
      editions: i === 5 ? 1 : 0,
      recipients: i === 5 ? 200 : 0,
      openRateHuman: i === 5 ? 0.3 : null,
      clickThroughRateHuman: i === 5 ? 9 / 190 : null,
    })),
    editions: [
      {
        id: 'ed_1',
        title: 'Spring <script>x</script>',
        recipients: 200,
        openRateHuman: 0.3,
        clickThroughRateHuman: 0.15,
      },
    ],
    warnings: bounces
      ? [{ about: { kind: 'self' }, figure: 'hardBounceRate', value: bounces / 200, threshold: 0.05 }]
      : [],
    engagementRateHuman: 0.31,
    growth: listGrowth({ list_new: 4, list_confirmed: 3, list_unsubscribed: 1 }),
    medians: { openRateHuman: 0.28, clickThroughRateHuman: 0.04 },
  });

  it('a post is read in its default language; German falls back to English; HQ adds its own', () => {
    expect(digestLanguages(post('kinshasa', 'fr'))).toEqual(['fr']);
    expect(digestLanguages(post('brussels', 'nl'))).toEqual(['nl']);
    expect(digestLanguages(post('berlin', 'de'))).toEqual(['en']);
    expect(digestLanguages(post('hq', 'en'))).toEqual(['en']);
    expect(digestLanguages(post('hq', 'fr'))).toEqual(['en', 'fr']);
  });

  it('subject, headings, figure labels and numbers in English, French and Dutch', async () => {
    const en = await digestMail(data(tokyo), 'en');
    expect(en.subject).toBe('Monthly usage report: Embassy of Belgium in Japan, March 2026');
    expect(en.html).toContain('>Open rate (human)</td>');
    expect(en.text).toContain('- Open rate (human): 30.0% (Network median: 28.0%)');
    expect(en.html).toMatch(/<html[^>]* lang="en"/);

    const fr = await digestMail(data(tokyo), 'fr');
    expect(fr.subject).toBe('Rapport d’utilisation mensuel : Ambassade de Belgique au Japon, mars 2026');
    expect(fr.html).toContain('>Taux d’ouverture (humains)</td>');
    expect(fr.html).toContain('Chiffres clés');
    expect(fr.text).toContain('- Taux d’ouverture (humains) : 30,0\u00a0% (Médiane du réseau : 28,0\u00a0%)');
    expect(fr.text).toContain('1 édition, 200 destinataires');

    const nl = await digestMail(data(tokyo), 'nl');
    expect(nl.subject).toBe('Maandelijks gebruiksrapport: Ambassade van België in Japan, maart 2026');
    expect(nl.html).toContain('>Openingsratio (mensen)</td>');
    expect(nl.html).toContain('De laatste zes maanden');
    expect(nl.text).toContain('- Openingsratio (mensen): 30,0%');
  });

  it('bars are table cells sized by the value, each with its number in text; no script, SVG or image', async () => {
    const { html, text } = await digestMail(data(tokyo), 'en');
    // The month's edition: opens 30 % is the longest bar, clicks 15 % half of it.
    expect(html).toContain('<td width="100%" height="10"');
    expect(html).toMatch(/<td width="50%" height="10"[^>]*bgcolor="#6f8fbf"/);
    expect(html).toContain('opens 30.0%');
    expect(html).toContain('clicks 15.0%');
    expect(text).toContain('- Spring <script>x</script> (200 recipients): opens 30.0%, clicks 15.0%');
    // A month with nothing delivered has no rate: a dash, no bar.
    expect(text).toContain('- Oct 2025 (0 editions, 0 recipients): opens —, clicks —');
    expect(html).not.toMatch(/<script|<svg|<img|<canvas/i);
    // What a person typed is escaped.
    expect(html).toContain('Spring &lt;script&gt;x&lt;/script&gt;');
  });

  it('a deliverability line reached is a warning at the top, in the reader’s language', async () => {
    const quiet = await digestMail(data(tokyo), 'en');
    expect(quiet.html).not.toContain('Deliverability warnings');
    const fr = await digestMail(data(tokyo, 12), 'fr');
    const at = fr.html.indexOf('Alertes de délivrabilité');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(fr.html.indexOf('Chiffres clés'));
    expect(fr.text).toContain(
      'Ambassade de Belgique au Japon : taux de rebonds définitifs 6,00\u00a0% atteint le seuil de 5,00\u00a0% (examen par Amazon SES).',
    );
  });

  it('HQ: the network’s posts ranked by human open rate, the first ten, the rest left to the full report', async () => {
    const hq = post('hq', 'fr');
    const network: NetworkDigest = {
      ...data(tokyo),
      kind: 'network',
      hq,
      posts: 12,
      sending: 12,
      hqBroadcasts: 1,
      crisisAlerts: 0,
      ranked: Array.from({ length: 12 }, (_, i) => ({
        post: post(`post-${i + 1}`, 'en'),
        openRateHuman: 0.5 - i / 100,
        clickThroughRateHuman: 0.05,
      })),
      warnings: [],
    };
    const fr = await digestMail(network, 'fr');
    expect(fr.subject).toBe('Rapport d’utilisation mensuel : le réseau, mars 2026');
    expect(fr.text).toContain('Les newsletters du réseau en mars 2026, en chiffres.');
    expect(fr.text).toContain('- Postes ayant envoyé une newsletter : 12 / 12');
    expect(fr.text).toContain('- 10. Ambassade de Belgique au Japon : ouvertures 41,0\u00a0%');
    expect(fr.text).not.toContain('- 11.');
    expect(fr.text).toContain('2 postes de plus dans le rapport complet.');
    expect(fr.html).toContain('2 postes de plus dans le rapport complet.');
  });

  it('links to the full report in the web app when its address is known', async () => {
    const withApp = await digestMail(data(tokyo), 'nl', { appUrl: 'https://staff.example.org/app/' });
    const link =
      'https://staff.example.org/app/#/reports?kind=post&amp;post=tokyo&amp;from=2026-03&amp;to=2026-03';
    expect(withApp.html).toContain(`href="${link}"`);
    expect(withApp.text).toContain(
      'Het volledige rapport openen in de webapp: https://staff.example.org/app/#/reports?kind=post&post=tokyo&from=2026-03&to=2026-03',
    );
    // Each edition opens its own report (what a post's editors may read).
    expect(withApp.html).toContain(
      '<a href="https://staff.example.org/app/#/reports?kind=edition&amp;post=tokyo&amp;edition=ed_1"',
    );
    const without = await digestMail(data(tokyo), 'nl');
    expect(without.html).not.toContain('#/reports');
  });
});
