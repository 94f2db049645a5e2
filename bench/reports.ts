/**
 * npm run bench:reports [-- --posts 150 --editions 12 --runs 3]
 *
 * Seeds a year of network history into a local DynamoDB (dynalite, in memory, in
 * this process as in `npm start --memory`): 150 posts with 12 editions each (two
 * variants, links, the 7 days after each send hour by hour), one HQ broadcast of
 * 100,000 recipients, the counters the engagement recorder writes (edition, variant,
 * hours, post and network months, audience kinds, languages, central items), then
 * prints the time of each report (target: under a second each).
 */
import { parseArgs } from 'node:util';
import { storyItemId } from '../functions/content/content';
import type { Counters } from '../functions/core/counters';
import { AUDIENCE_KINDS, type Language } from '../functions/core/model';
import type { Edition } from '../functions/editions/model';
import {
  hourCounter,
  itemCounter,
  itemsMonth,
  postCounter,
  reportScopes,
  scopes,
} from '../functions/engagement/model';
import { buildReport, type ReportRequest } from '../functions/reports/export';
import { toHtml } from '../functions/reports/output';
import { startDynalite } from '../tests/helpers/dynalite';
import { post } from '../tests/helpers/fixtures';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '150' },
    editions: { type: 'string', default: '12' },
    runs: { type: 'string', default: '3' },
  },
});
const POSTS = Number(values.posts);
const EDITIONS = Number(values.editions);
const RUNS = Number(values.runs);
const YEAR = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const CONTINENTS = ['africa', 'americas', 'asia', 'europe', 'oceania'] as const;
const LANGS: Language[] = ['fr', 'nl', 'en', 'de'];
const STORIES = Array.from({ length: 120 }, (_, i) => `focus-story-${i}-{lang}`);

// A fixed pseudo-random sequence: the same history every run.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const between = (lo: number, hi: number) => lo + (hi - lo) * random();

const db = await startDynalite();
const { ctx } = db;
const counters: Counters = ctx.counters;

/** Adds in chunks: DynamoDB bounds an update expression (4 KB), so no write carries 300 counters. */
async function add(scope: string, deltas: Record<string, number>) {
  const entries = Object.entries(deltas).filter(([, v]) => v > 0);
  for (let i = 0; i < entries.length; i += 60)
    await counters.add(scope, Object.fromEntries(entries.slice(i, i + 60)));
}

async function inParallel<T>(items: readonly T[], limit: number, task: (t: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

/** One edition's counters, as the recorder leaves them a week after the send. */
function editionCounts(recipients: number, openRate: number) {
  const delivered = Math.round(recipients * between(0.95, 0.995));
  const uopens = Math.round(delivered * openRate);
  const uopensH = Math.round(uopens * between(0.55, 0.8));
  const uclicks = Math.round(uopens * between(0.08, 0.25));
  return {
    sent: recipients,
    delivered,
    bounced_hard: Math.round(recipients * between(0.002, 0.03)),
    bounced_soft: Math.round(recipients * between(0.001, 0.01)),
    complained: Math.round(recipients * between(0, 0.0015)),
    opens: Math.round(uopens * 1.6),
    opens_h: Math.round(uopensH * 1.5),
    uopens,
    uopens_h: uopensH,
    clicks: Math.round(uclicks * 1.4),
    clicks_h: Math.round(uclicks * 1.2),
    uclicks,
    uclicks_h: Math.round(uclicks * 0.9),
    unsubscribes: Math.round(delivered * between(0.0005, 0.004)),
    editions: 1,
  };
}

const scale = (c: Record<string, number>, f: number) =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Math.round(v * f)]));

const t0 = performance.now();
let writes = 0;
const posts = Array.from({ length: POSTS }, (_, i) => {
  const language = LANGS[i % 3] as Language;
  return post(`post-${String(i).padStart(3, '0')}`, {
    continent: CONTINENTS[i % 5] ?? 'europe',
    languages: [language, 'en'].filter((l, j, a) => a.indexOf(l) === j) as Language[],
    defaultLanguage: language,
    audiences: [
      { id: 'economic', kind: 'economic', name: 'Economic' },
      { id: 'cultural', kind: 'cultural', name: 'Cultural' },
    ],
  });
});
await ctx.repos.posts.put(post('hq', { continent: 'europe' }));
for (const p of posts) await ctx.repos.posts.put(p);

await inParallel(posts, 8, async (p) => {
  // List sizes from a few hundred to tens of thousands; each post its own open rate.
  const listSize = Math.round(10 ** between(2.3, 4.6));
  const baseRate = between(0.15, 0.5);
  for (let e = 0; e < EDITIONS; e++) {
    const month = YEAR[Math.floor((e * 12) / EDITIONS)] as string;
    const sentAt = `${month}-${String(5 + (e % 20)).padStart(2, '0')}T09:00:00.000Z`;
    const id = `ed-${p.code}-${e}`;
    const stories = [0, 1, 2].map(() => STORIES[Math.floor(random() * STORIES.length)] as string);
    const variants = [p.defaultLanguage, 'en' as Language]
      .filter((l, j, a) => a.indexOf(l) === j)
      .map((language) => ({
        audience: 'economic',
        language,
        subject: `News ${month}`,
        preheader: '',
        intro: '',
        blocks: stories.map((s) => ({ type: 'central' as const, item: storyItemId(s, language) })),
      }));
    const edition: Edition = {
      id,
      post: p.code,
      title: `${p.code} ${month}`,
      status: 'sent',
      sensitive: false,
      author: 'bench',
      scheduledAt: sentAt,
      createdAt: sentAt,
      updatedAt: sentAt,
      version: 5,
      revision: 1,
      variants,
    };
    await ctx.repos.editions.create(edition);
    const c = editionCounts(Math.round(listSize * between(0.95, 1.05)), baseRate * between(0.8, 1.2));
    const links = Object.fromEntries(
      Array.from({ length: 8 }, (_, n) => [
        [`clicks_L${n}`, Math.round((c.clicks / (n + 2)) * 0.7)],
        [`uclicks_L${n}`, Math.round((c.uclicks / (n + 2)) * 0.7)],
      ]).flat(),
    );
    await add(scopes.edition(id), { ...c, ...links });
    const share = variants.length === 1 ? [1] : [0.7, 0.3];
    for (const [i, v] of variants.entries())
      await add(scopes.variant(id, v.audience, v.language), scale(c, share[i] ?? 0));
    // Opens decay over the week after the send.
    const hours: Record<string, number> = {};
    for (let h = 0; h < 7 * 24; h++) {
      const at = new Date(Date.parse(sentAt) + h * 3_600_000).toISOString();
      const w = Math.exp(-h / 10) / 10;
      hours[hourCounter('opens', at)] = Math.round(c.opens * w);
      hours[hourCounter('opens_h', at)] = Math.round(c.opens_h * w);
      hours[hourCounter('uopens', at)] = Math.round(c.uopens * w);
      hours[hourCounter('clicks', at)] = Math.round(c.clicks * w);
      hours[hourCounter('uclicks', at)] = Math.round(c.uclicks * w);
    }
    await add(scopes.editionHours(id), hours);
    const growth = {
      list_new: Math.round(listSize * between(0.005, 0.03)),
      list_confirmed: Math.round(listSize * between(0.004, 0.025)),
      list_unsubscribed: c.unsubscribes,
      list_cleaned: c.bounced_hard + c.complained,
    };
    // Unique people of the window ending this month, all counted in it (offset 0:
    // engagement/activity.ts); the months before add none, as if each month's people were new.
    const people = {
      people_sent_0: Math.round(listSize * between(1.0, 1.08)),
      people_engaged_0: Math.round(listSize * baseRate * between(1.1, 1.4)),
      people_engaged_h_0: Math.round(listSize * baseRate * between(0.7, 1.0)),
    };
    const monthly = { ...c, ...growth, ...people };
    await add(scopes.postMonth(p.code, month), monthly);
    await add(
      reportScopes.networkPosts(month),
      Object.fromEntries(Object.entries(monthly).map(([k, v]) => [postCounter(k, p.code), v])),
    );
    await add(scopes.networkMonth(month), { ...c, ...people });
    await add(scopes.audienceMonth('economic', month), { ...c, ...people });
    for (const [i, v] of variants.entries()) {
      await add(scopes.languageMonth(v.language, month), scale(c, share[i] ?? 0));
      for (const s of stories) {
        const item = storyItemId(s, v.language);
        const sent = Math.round(c.sent * (share[i] ?? 0));
        const uclicks = Math.round((c.uclicks * (share[i] ?? 0)) / 3);
        const counts = {
          sent,
          uclicks,
          [`uclicks_${v.language}`]: uclicks,
          [`uclicks_post_${p.code}`]: uclicks,
        };
        await add(scopes.itemMonth(item, month), counts);
        await add(itemsMonth(month), {
          [itemCounter('sent', item)]: sent,
          [itemCounter('uclicks', item)]: uclicks,
        });
      }
    }
    writes += 16 + variants.length * 5 + variants.length * stories.length * 2;
  }
});
// One HQ broadcast to 100,000 people, and crisis alerts.
const hq: Edition = {
  id: 'ed-hq-100k',
  post: 'hq',
  title: 'Focus on Belgium, network edition',
  status: 'sent',
  sensitive: false,
  author: 'bench',
  scheduledAt: '2025-11-12T09:00:00.000Z',
  createdAt: '2025-11-12T09:00:00.000Z',
  updatedAt: '2025-11-12T09:00:00.000Z',
  version: 5,
  revision: 1,
  variants: LANGS.slice(0, 3).map((language) => ({
    audience: 'all',
    language,
    subject: 'Focus on Belgium',
    preheader: '',
    intro: '',
    blocks: [{ type: 'central' as const, item: storyItemId(STORIES[0] as string, language) }],
  })),
};
await ctx.repos.editions.create(hq);
const hqCounts = editionCounts(100_000, 0.35);
await add(scopes.edition(hq.id), hqCounts);
// Its send counters: 100,000 sent, 2,400 people subscribed somewhere asked for no HQ broadcast.
await counters.add(`EDITION#${hq.id}`, { sent: 100_000, declined: 2_400 });
for (const v of hq.variants) await add(scopes.variant(hq.id, v.audience, v.language), scale(hqCounts, 1 / 3));
await add(
  reportScopes.networkPosts('2025-11'),
  Object.fromEntries(Object.entries(hqCounts).map(([k, v]) => [postCounter(k, 'hq'), v])),
);
await add(scopes.networkMonth('2025-11'), hqCounts);
// Three crisis alerts (one edition per post), their send counters as the send left them.
for (const p of posts.slice(0, 3)) {
  const at = '2025-09-14T03:00:00.000Z';
  await ctx.repos.editions.create({
    ...hq,
    id: `ed-crisis-${p.code}`,
    post: p.code,
    title: 'Earthquake: practical advice',
    priority: 'crisis',
    scheduledAt: at,
    variants: [{ ...(hq.variants[0] as Edition['variants'][number]), audience: 'consular' }],
  });
  await counters.add(`EDITION#ed-crisis-${p.code}`, { queued: 900, sent: 900 });
}
const seeded = performance.now() - t0;
console.log(
  `seeded ${POSTS} posts x ${EDITIONS} editions (+ an HQ broadcast of 100,000) in ${(seeded / 1000).toFixed(1)} s, about ${writes} counter writes`,
);

const period = { from: '2025-01', to: '2025-12' };
const cases: [string, ReportRequest][] = [
  ['edition (HQ broadcast, 100,000 recipients)', { kind: 'edition', id: hq.id }],
  ['edition (a post)', { kind: 'edition', id: `ed-${posts[0]?.code}-5` }],
  ['post over a year', { kind: 'post', code: posts[0]?.code ?? '', ...period }],
  ['audience kind over a year', { kind: 'audience', audience: AUDIENCE_KINDS[0], ...period }],
  ['language over a year', { kind: 'audience', audience: 'fr', ...period }],
  ['network over a year', { kind: 'network', ...period }],
  ['story over a year', { kind: 'story', id: STORIES[0] as string, ...period }],
  ['story leaderboard over a year', { kind: 'story', ...period }],
];
const deps = ctx.reports;
const library = await deps.chartLibrary();
console.log(
  '\nreport                                        first      best   (of runs, each built and rendered as HTML)',
);
for (const [name, request] of cases) {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const report = await buildReport(deps, request);
    toHtml(report, library);
    times.push(performance.now() - t);
  }
  const ms = (v: number) => `${v.toFixed(0).padStart(6)} ms`;
  const best = Math.min(...times);
  console.log(`${name.padEnd(44)} ${ms(times[0] ?? 0)} ${ms(best)}${best < 1000 ? '' : '   over 1 s'}`);
}
await db.stop();
