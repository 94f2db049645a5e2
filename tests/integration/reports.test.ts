import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCounters } from '../../functions/adapters/dynamodb/counters-repo';
import type { AppContext } from '../../functions/app';
import { storyItemId } from '../../functions/content/content';
import type { Edition } from '../../functions/editions/model';
import { hourCounter, postCounter, reportScopes, scopes } from '../../functions/engagement/model';
import { benchmarkOf, mostImproved, networkData } from '../../functions/reports/benchmark';
import { buildReport, exportReport } from '../../functions/reports/export';
import { toCsv } from '../../functions/reports/output';
import { type Column, periodOf, type Report, type Table } from '../../functions/reports/report';
import { reportWording } from '../../functions/reports/wording';
import { startDynalite } from '../helpers/dynalite';
import { post } from '../helpers/fixtures';

/**
 * Reports read counters seeded here directly (as the engagement recorder writes them)
 * on a real dynalite, and the editions and posts from their repositories. The small
 * network's benchmark figures below are computed by hand.
 */
let db: Awaited<ReturnType<typeof startDynalite>>;
let ctx: AppContext;

const PERIOD = periodOf('2026-04', '2026-06', new Date('2026-07-01T00:00:00Z'));

/** Adds one post's month to both its own scope and the network's per-post scope. */
async function seedPostMonth(code: string, month: string, counts: Record<string, number>) {
  await ctx.counters.add(scopes.postMonth(code, month), counts);
  await ctx.counters.add(
    reportScopes.networkPosts(month),
    Object.fromEntries(Object.entries(counts).map(([k, v]) => [postCounter(k, code), v])),
  );
}

/**
 * Unique people of one post over the three months ending `windowEnd`, as the recorder
 * counts them (engagement/activity.ts): in the post's scopes and the network's.
 */
async function seedPeople(code: string, windowEnd: string, sent: number, engaged: number) {
  // All counted in the window's own month (offset 0), as if none had been active before.
  const people = { people_sent_0: sent, people_engaged_0: engaged, people_engaged_h_0: engaged };
  await seedPostMonth(code, windowEnd, people);
  await ctx.counters.add(scopes.networkMonth(windowEnd), people);
}

const STORY = 'focus-bruegel-{lang}';

function edition(id: string, postCode: string, over: Partial<Edition> = {}): Edition {
  const at = '2026-06-10T09:30:00.000Z';
  return {
    id,
    post: postCode,
    title: `Summer <b>news</b> & "more"`,
    status: 'sent',
    sensitive: false,
    author: 'editor',
    scheduledAt: at,
    createdAt: at,
    updatedAt: at,
    version: 5,
    revision: 1,
    variants: [
      {
        audience: 'economic',
        language: 'en',
        subject: 'News in English',
        preheader: '',
        intro: '',
        blocks: [{ type: 'central', item: storyItemId(STORY, 'en') }],
      },
      {
        audience: 'economic',
        language: 'fr',
        subject: '=HYPERLINK("x") Nouvelles',
        preheader: '',
        intro: '',
        blocks: [
          { type: 'central', item: storyItemId(STORY, 'fr') },
          { type: 'local', title: 'Local', text: 'Text' },
        ],
      },
    ],
    ...over,
  };
}

beforeAll(async () => {
  db = await startDynalite();
  ctx = db.ctx;
  for (const p of [
    post('aone', { continent: 'asia', defaultLanguage: 'en' }),
    post('atwo', { continent: 'asia', defaultLanguage: 'en' }),
    post('athree', { continent: 'asia', defaultLanguage: 'en' }),
    post('eone', { continent: 'europe', defaultLanguage: 'fr', languages: ['fr', 'en'] }),
    post('etwo', { continent: 'europe', defaultLanguage: 'fr', languages: ['fr', 'en'] }),
    post('hq', { continent: 'europe' }),
  ])
    await ctx.repos.posts.put(p);
  // June: the period's only month with sends. Q1 (the previous quarter) for "most improved".
  await seedPostMonth('aone', '2026-06', {
    editions: 1,
    sent: 500,
    delivered: 500,
    uopens: 250,
    uopens_h: 200,
  });
  await seedPostMonth('atwo', '2026-06', {
    editions: 1,
    sent: 800,
    delivered: 800,
    uopens: 160,
    uopens_h: 160,
  });
  await seedPostMonth('athree', '2026-06', {
    editions: 2,
    sent: 4000,
    delivered: 4000,
    uopens: 2000,
    uopens_h: 2000,
  });
  await seedPostMonth('eone', '2026-06', {
    editions: 1,
    sent: 100,
    delivered: 100,
    uopens: 30,
    uopens_h: 30,
    complained: 1,
  });
  await seedPostMonth('atwo', '2026-02', {
    editions: 1,
    sent: 1000,
    delivered: 1000,
    uopens: 100,
    uopens_h: 100,
  });
  await seedPostMonth('aone', '2026-03', {
    editions: 1,
    sent: 500,
    delivered: 500,
    uopens: 300,
    uopens_h: 300,
  });
  await seedPostMonth('aone', '2026-05', {
    list_new: 12,
    list_confirmed: 10,
    list_unsubscribed: 3,
    list_cleaned: 1,
  });
  await ctx.counters.add(scopes.networkMonth('2026-06'), { sent: 5400, delivered: 5400 });
  // People over April-June (their rates: aone 0.5, atwo 0.2, athree 0.5, eone 0.3).
  // athree sent two editions to the same 2,000 people: 2,000 people, not 4,000.
  await seedPeople('aone', '2026-06', 500, 250);
  await seedPeople('atwo', '2026-06', 800, 160);
  await seedPeople('athree', '2026-06', 2000, 1000);
  await seedPeople('eone', '2026-06', 100, 30);
  // Q1 (January-March): atwo 100 / 1,000 = 0.1, aone 300 / 500 = 0.6.
  await seedPeople('atwo', '2026-03', 1000, 100);
  await seedPeople('aone', '2026-03', 500, 300);
  // The newsletters sent in June (the counters above are theirs): aone's shows the story.
  await ctx.repos.editions.create(edition('ed-rep-post', 'aone'));
  for (const [id, postCode] of [
    ['ed-seed-atwo', 'atwo'],
    ['ed-seed-athree-1', 'athree'],
    ['ed-seed-athree-2', 'athree'],
    ['ed-seed-eone', 'eone'],
  ] as const) {
    const e = edition(id, postCode);
    await ctx.repos.editions.create({
      ...e,
      variants: e.variants.map((v) => ({ ...v, blocks: [{ type: 'local', title: 'Local', text: 'Text' }] })),
    });
  }
  // Two crisis alerts: their send counters last moved 150 s and 60 s after the alert.
  for (const [id, postCode, at, last] of [
    ['ed-crisis-1', 'eone', '2026-06-10T09:00:00.000Z', '2026-06-10T09:02:30.000Z'],
    ['ed-crisis-2', 'athree', '2026-05-03T12:00:00.000Z', '2026-05-03T12:01:00.000Z'],
  ] as const) {
    await ctx.repos.editions.create({
      ...edition(id, postCode, { scheduledAt: at, priority: 'crisis', title: 'Flooding: stay indoors' }),
      variants: [
        {
          audience: 'consular',
          language: 'en',
          subject: 'Alert',
          preheader: '',
          intro: '',
          blocks: [{ type: 'consular', title: 'Stay indoors', text: 'Advice' }],
        },
      ],
    });
    const progress = new DynamoCounters(ctx.dynamo.doc, ctx.settings.tables.stats, 16, () => new Date(last));
    await progress.add(`EDITION#${id}`, { sent: 80 });
  }
}, 60_000);
afterAll(async () => db?.stop());

const table = (r: Report, name: string): Table => {
  const t = r.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};
const figure = (r: Report, label: string) => table(r, 'summary').rows.find((x) => x.figure === label)?.value;

describe('network benchmarking on a small seeded network (values by hand)', () => {
  it('a post beside the network median, its peer median and its percentile', async () => {
    const data = await networkData(ctx.reports, PERIOD);
    // Human open rates: aone 200/500 = 0.4, atwo 160/800 = 0.2, athree 2000/4000 = 0.5, eone 30/100 = 0.3; etwo sent nothing.
    // List sizes (sent / editions): 500, 800 small; 2000 medium; 100 small.
    expect(data.posts.find((p) => p.post.code === 'athree')?.band).toBe('medium');
    // Values by hand need every group shown, however small (as the network report shows them).
    const aone = benchmarkOf(data, 'aone', 1).find((b) => b.figure === 'openRateHuman');
    // Network median of [0.2, 0.3, 0.4, 0.5] = 0.35; peers asia/en/small: aone 0.4, atwo 0.2 -> 0.3.
    // Percentile: 2 below (0.2, 0.3), 1 equal -> (2 + 0.5) / 4 = 62.5.
    expect(aone).toEqual({
      figure: 'openRateHuman',
      value: 0.4,
      networkMedian: 0.35,
      peerMedian: expect.closeTo(0.3, 10),
      peers: 2,
      percentile: 62.5,
    });
    const eone = benchmarkOf(data, 'eone', 1).find((b) => b.figure === 'openRateHuman');
    expect(eone).toMatchObject({ value: 0.3, peerMedian: 0.3, peers: 1, percentile: 37.5 });
    // Engagement rate (Apr-Jun window): aone 250 / 500 people = 0.5 against Q1's 300 / 500 = 0.6.
    const engagement = benchmarkOf(data, 'aone', 1).find((b) => b.figure === 'engagementRate');
    // [0.5, 0.2, 0.5, 0.3] -> median 0.4; aone: 2 below, 2 equal -> (2 + 1) / 4 = 75.
    expect(engagement).toMatchObject({ value: 0.5, networkMedian: expect.closeTo(0.4, 10), percentile: 75 });
    // Shown to one post (its report, its digest), a group under five posts gives no median and
    // no percentile: with aone's 0.4 and the peer median 0.3, atwo's 0.2 would be plain to see.
    expect(benchmarkOf(data, 'aone').find((b) => b.figure === 'openRateHuman')).toEqual({
      figure: 'openRateHuman',
      value: 0.4,
      networkMedian: null,
      peerMedian: null,
      peers: 2,
      percentile: null,
    });
    // Most improved this quarter (Q2 against Q1): atwo 0.1 -> 0.2 (+0.1), aone 0.6 -> 0.5 (-0.1).
    expect(mostImproved(data).map((p) => [p.post.code, Number(p.quarterChange?.toFixed(6))])).toEqual([
      ['atwo', 0.1],
      ['aone', -0.1],
    ]);
  });

  it('the network report: adoption, ranking, crisis delivery time, posts over a line', async () => {
    const r = await buildReport(ctx.reports, { kind: 'network', from: '2026-04', to: '2026-06' });
    expect(figure(r, 'Posts')).toBe(5);
    expect(figure(r, 'Posts that sent at least one edition')).toBe(4);
    expect(figure(r, 'Adoption')).toBeCloseTo(0.8, 10);
    expect(figure(r, 'Crisis alerts')).toBe(2);
    expect(figure(r, 'Crisis mean delivery time')).toBe(105);
    expect(figure(r, 'Crisis longest delivery time')).toBe(150);
    expect(table(r, 'crisis').rows.map((x) => [x.edition, x.recipients, x.seconds])).toEqual([
      ['ed-crisis-2', 80, 60],
      ['ed-crisis-1', 80, 150],
    ]);
    // Ranked by engagement rate; a tie by code.
    expect(table(r, 'posts').rows.map((x) => x.post)).toEqual(['aone', 'athree', 'eone', 'atwo', 'etwo']);
    // eone: 1 complaint in 100 = 1 %, over SES's 0.1 % and Gmail's 0.3 %.
    expect(table(r, 'deliverability').rows.map((x) => [x.post, x.figure])).toEqual([
      ['eone', 'complaintRate'],
      ['eone', 'spamRate'],
    ]);
    expect(r.warnings.some((w) => w.startsWith('eone: complaintRate'))).toBe(true);
    expect(r.charts.map((c) => c.id)).toEqual(['months', 'posts']);
  });

  it("the post report: list growth, benchmarks and the post's own editions", async () => {
    await ctx.counters.add(scopes.edition('ed-rep-post'), {
      sent: 500,
      delivered: 500,
      uopens_h: 200,
      uopens: 250,
    });
    const r = await buildReport(ctx.reports, { kind: 'post', code: 'aone', from: '2026-04', to: '2026-06' });
    expect(table(r, 'list-growth').rows.find((x) => x.month === '2026-05')).toMatchObject({
      new: 12,
      confirmed: 10,
      unsubscribed: 3,
      cleaned: 1,
      net: 6,
    });
    expect(table(r, 'editions').rows).toEqual([
      expect.objectContaining({ edition: 'ed-rep-post', recipients: 500, openRateHuman: 0.4 }),
    ]);
    // A network of four posts that sent: too few for a median shown to one post, and the report says why.
    expect(table(r, 'benchmarks').rows.find((x) => x.figure === 'Open rate (human)')).toMatchObject({
      value: 0.4,
      networkMedian: null,
      peerMedian: null,
      percentile: null,
    });
    expect(r.notes.join(' ')).toMatch(/groups of at least 5 posts/);
    expect(r.remarks?.notes.map((n) => n.id)).toContain('benchmarkGroup');
    // The network report, for network-wide roles, shows the same figures in full.
    const network = await buildReport(ctx.reports, { kind: 'network', from: '2026-04', to: '2026-06' });
    expect(
      table(network, 'benchmarks').rows.find((x) => x.post === 'aone' && x.figure === 'Open rate (human)'),
    ).toMatchObject({ value: 0.4, networkMedian: 0.35, percentile: 62.5 });
    expect(figure(r, 'Engagement rate (3 months)')).toBe(0.5);
    expect(figure(r, 'People sent to (3 months)')).toBe(500);
  });

  it("the network's engagement rate counts each person once, and HQ reach is over everyone subscribed", async () => {
    // An HQ broadcast: 900 sent, 20 skipped (unsubscribed since dispatch), 80 people asked for no broadcast.
    const hq = edition('ed-hq-reach', 'hq', { title: 'Focus on Belgium' });
    await ctx.repos.editions.create({
      ...hq,
      variants: hq.variants.map((v) => ({ ...v, blocks: [{ type: 'local', title: 'Local', text: 'Text' }] })),
    });
    await ctx.counters.add('EDITION#ed-hq-reach', { sent: 900, skipped: 20, declined: 80 });
    const r = await buildReport(ctx.reports, { kind: 'network', from: '2026-04', to: '2026-06' });
    // The network's own scope: 3,400 people, 1,440 engaged (seeded per post above, no one in two posts).
    expect(figure(r, 'People sent to (3 months)')).toBe(3400);
    expect(figure(r, 'Engagement rate (3 months)')).toBeCloseTo(1440 / 3400, 10);
    expect(figure(r, 'HQ broadcasts')).toBe(1);
    expect(figure(r, 'HQ reach (people reached / people subscribed anywhere)')).toBeCloseTo(0.9, 10);
    expect(table(r, 'hq-broadcasts').rows).toEqual([
      expect.objectContaining({ edition: 'ed-hq-reach', recipients: 900, subscribers: 1000, reach: 0.9 }),
    ]);
  });
});

describe('network figures without the per-post network scope', () => {
  it("reads each post's own months instead, with the same figures", async () => {
    // January 2025: only the posts' own scopes hold sends (as a recorder that does not write networkPosts leaves them).
    await ctx.counters.add(scopes.postMonth('aone', '2025-01'), { sent: 200, delivered: 200, uopens_h: 50 });
    await ctx.counters.add(scopes.postMonth('eone', '2025-01'), { sent: 100, delivered: 100, uopens_h: 40 });
    const data = await networkData(
      ctx.reports,
      periodOf('2025-01', '2025-01', new Date('2025-02-01T00:00:00Z')),
    );
    expect(data.posts.find((p) => p.post.code === 'aone')?.figures.openRateHuman).toBe(0.25);
    expect(benchmarkOf(data, 'eone', 1).find((b) => b.figure === 'openRateHuman')).toMatchObject({
      value: 0.4,
      networkMedian: 0.325,
      percentile: 75,
    });
  });
});

describe('edition report', () => {
  it('per variant, per link, and hour by hour then day by day after the send', async () => {
    await ctx.repos.editions.create(edition('ed-rep-1', 'eone'));
    await ctx.counters.add(scopes.edition('ed-rep-1'), {
      sent: 1000,
      delivered: 950,
      bounced_hard: 60,
      uopens: 400,
      uopens_h: 300,
      uclicks: 120,
      clicks_L0: 30,
      uclicks_L0: 20,
      clicks_L1: 90,
      uclicks_L1: 70,
    });
    await ctx.counters.add(scopes.variant('ed-rep-1', 'economic', 'en'), {
      sent: 600,
      delivered: 580,
      uopens_h: 200,
    });
    await ctx.counters.add(scopes.variant('ed-rep-1', 'economic', 'fr'), {
      sent: 400,
      delivered: 370,
      uopens_h: 100,
    });
    await ctx.counters.add(scopes.editionHours('ed-rep-1'), {
      [hourCounter('opens', '2026-06-10T09:45:00Z')]: 5,
      [hourCounter('opens', '2026-06-10T10:05:00Z')]: 3,
      [hourCounter('opens', '2026-06-12T12:00:00Z')]: 7,
      [hourCounter('opens', '2026-06-12T20:00:00Z')]: 1,
      [hourCounter('opens', '2026-06-20T09:00:00Z')]: 99,
    });
    const r = await buildReport(ctx.reports, { kind: 'edition', id: 'ed-rep-1' });
    expect(table(r, 'variants').rows.map((x) => [x.language, x.recipients, x.openRateHuman])).toEqual([
      ['en', 600, 200 / 580],
      ['fr', 400, 100 / 370],
    ]);
    expect(table(r, 'links').rows.map((x) => [x.link, x.uniqueClicks, x.clicks])).toEqual([
      [1, 70, 90],
      [0, 20, 30],
    ]);
    const series = table(r, 'after-send').rows;
    expect(series).toHaveLength(24 + 6);
    expect(series[0]).toMatchObject({ when: 'hour 1', opens: 5 });
    expect(series[1]).toMatchObject({ when: 'hour 2', opens: 3 });
    // A step reads as itself in a spreadsheet: no leading + for the formula guard to mark with '.
    const steps = (parse(toCsv(r, false), { columns: true }) as Record<string, string>[]).filter(
      (x) => x.table === 'after-send' && x.column === 'when',
    );
    expect(steps.slice(0, 2).map((x) => x.value)).toEqual(['hour 1', 'hour 2']);
    expect(steps.map((x) => x.value).filter((v) => v?.startsWith("'"))).toEqual([]);
    expect(
      reportWording('fr').wordText(table(r, 'after-send').columns[0] as Column, series[0] ?? {}, 'hour 1', {
        kind: 'edition',
        subject: 'ed-rep-1',
      }),
    ).toBe('heure 1');
    // 2026-06-12T12 and T20 are 51 and 59 hours after 09:00 on the 10th: day 3. Day 11 is past the 7 days.
    expect(series.find((x) => x.when === 'day 3')).toMatchObject({ opens: 8 });
    expect(series.reduce((s, x) => s + Number(x.opens), 0)).toBe(16);
    // 60 hard bounces in 1,000: over SES's 5 %.
    expect(r.warnings).toContain("edition: hardBounceRate 6.00 % reaches Amazon SES's line of 5.00 %");
  });

  it('another post, or no such edition: not found', async () => {
    await expect(buildReport(ctx.reports, { kind: 'edition', id: 'ed-rep-1', post: 'aone' })).rejects.toThrow(
      'no edition "ed-rep-1"',
    );
    await expect(buildReport(ctx.reports, { kind: 'edition', id: 'nope' })).rejects.toThrow('no edition');
  });

  it('the CSV (RFC 4180, CRLF, optional BOM) parses back to the same figures', async () => {
    const r = await buildReport(ctx.reports, { kind: 'edition', id: 'ed-rep-1' });
    const csv = toCsv(r, true);
    expect(csv.startsWith('\uFEFFreport,subject,table,row,column,label,value\r\n')).toBe(true);
    const records: Record<string, string>[] = parse(csv, { columns: true, bom: true });
    let checked = 0;
    for (const t of r.tables)
      t.rows.forEach((row, i) => {
        for (const c of t.columns) {
          const rec = records.find(
            (x) => x.table === t.name && Number(x.row) === i + 1 && x.column === c.key,
          );
          const v = row[c.key] ?? null;
          const back = rec?.value ?? '';
          // A typed formula is kept as text (a leading quote), everything else exactly.
          if (typeof v === 'number') expect(Number(back)).toBe(v);
          else if (v === null) expect(back).toBe('');
          else expect(back.replace(/^'(?=[=+\-@])/, '')).toBe(v);
          checked++;
        }
      });
    expect(checked).toBe(records.length);
    expect(
      records.find((x) => x.table === 'variants' && x.column === 'subject' && x.row === '2')?.value,
    ).toBe(`'=HYPERLINK("x") Nouvelles`);
  });

  it("an export is in the audit trail of the edition's post, with its format and language", async () => {
    const out = await exportReport(
      ctx.reports,
      { id: 'analyst-1', roles: ['analyst'] },
      { kind: 'edition', id: 'ed-rep-1' },
      'html',
      { lang: 'fr' },
    );
    expect(out.contentType).toBe('text/html; charset=utf-8');
    expect(out.body).not.toContain('<b>news</b>');
    expect(out.body).toContain('Summer &lt;b&gt;news&lt;/b&gt; &amp; &quot;more&quot;');
    expect(out.body).toContain('<html lang="fr">');
    const page = await ctx.audit.list('eone');
    expect(page.items[0]).toMatchObject({
      actor: 'analyst-1',
      action: 'report.exported',
      post: 'eone',
      target: { type: 'report', id: 'edition:ed-rep-1' },
      detail: { format: 'html', lang: 'fr' },
    });
  });
});

describe('story report', () => {
  it('posts, editions and languages from the blocks; recipients from the variants; clicks by language and post', async () => {
    await ctx.repos.editions.create(edition('ed-rep-story', 'atwo'));
    await ctx.counters.add(scopes.variant('ed-rep-story', 'economic', 'en'), { sent: 300 });
    await ctx.counters.add(scopes.variant('ed-rep-story', 'economic', 'fr'), { sent: 200 });
    await ctx.counters.add(scopes.itemMonth(storyItemId(STORY, 'en'), '2026-06'), {
      uclicks: 12,
      uclicks_en: 12,
      uclicks_post_atwo: 12,
    });
    await ctx.counters.add(scopes.itemMonth(storyItemId(STORY, 'fr'), '2026-06'), {
      uclicks: 5,
      uclicks_fr: 5,
      uclicks_post_atwo: 5,
    });
    // May's clicks are outside the period: counted in May's report only.
    await ctx.counters.add(scopes.itemMonth(storyItemId(STORY, 'en'), '2026-05'), {
      uclicks: 40,
      uclicks_en: 40,
    });
    const r = await buildReport(ctx.reports, { kind: 'story', id: STORY, from: '2026-06', to: '2026-06' });
    // Three editions use the story in June (ed-rep-post, ed-rep-1, ed-rep-story) at three posts, in en and fr.
    expect(figure(r, 'Posts that used it')).toBe(3);
    expect(figure(r, 'Editions')).toBe(3);
    expect(figure(r, 'Languages')).toBe(2);
    // ed-rep-1's variants: 600 + 400; ed-rep-story's: 300 + 200; ed-rep-post has no variant counters.
    expect(figure(r, 'Recipients reached')).toBe(1500);
    expect(figure(r, 'Unique clicks')).toBe(17);
    expect(table(r, 'languages').rows).toEqual([
      { language: 'fr', uniqueClicks: 5 },
      { language: 'en', uniqueClicks: 12 },
    ]);
    expect(table(r, 'posts').rows[0]).toEqual({ post: 'atwo', uniqueClicks: 17 });
  });
});
