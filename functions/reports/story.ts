import { STORY_PATTERN, storyItemId, storyOf } from '../content/content';
import { NotFoundError, quoted, ValidationError } from '../core/errors';
import { LANGUAGES } from '../core/model';
import { centralItems, type VariantItems } from '../editions/model';
import { itemCounter, itemsMonth, scopes } from '../engagement/model';
import { rate } from './metrics';
import type { ReportDeps } from './ports';
import type { Period, Report, Table } from './report';
import { sentEditions } from './sent-editions';

const ITEM_ID = /^[a-z]{2}-[A-Za-z0-9_-]{10,40}$/;

/** One variant of a sent edition and the central items it showed. */
interface Shown {
  readonly edition: string;
  readonly post: string;
  readonly audience: string;
  readonly language: string;
  readonly items: readonly string[];
}

/**
 * Every variant sent in the period across the network (HQ's included), with its items:
 * from the posts' edition lists (their summaries name each variant's items), reading an
 * edition itself only when its summary predates that.
 */
async function networkVariants(deps: ReportDeps, period: Period): Promise<Shown[]> {
  const posts = await deps.posts.list();
  const summaries = (await Promise.all(posts.map((p) => sentEditions(deps, p.code, period)))).flat();
  const shown = await Promise.all(
    summaries.map(async (s): Promise<readonly VariantItems[]> => {
      if (s.variantItems) return s.variantItems;
      const e = await deps.editions.get(s.id);
      return (e?.variants ?? []).map((v) => ({
        audience: v.audience,
        language: v.language,
        items: centralItems(v),
      }));
    }),
  );
  return summaries.flatMap((s, i) => (shown[i] ?? []).map((v) => ({ edition: s.id, post: s.post, ...v })));
}

interface Use {
  readonly posts: Set<string>;
  readonly editions: Set<string>;
  readonly languages: Set<string>;
  /** Variant scopes whose recipients saw the story. */
  readonly variants: { edition: string; audience: string; language: string }[];
}

const newUse = (): Use => ({ posts: new Set(), editions: new Set(), languages: new Set(), variants: [] });

function record(use: Use, v: Shown): void {
  use.posts.add(v.post);
  use.editions.add(v.edition);
  use.languages.add(v.language);
  use.variants.push({ edition: v.edition, audience: v.audience, language: v.language });
}

/** Recipients of a variant: read once per report, however many stories it showed. */
type SentOf = (v: Use['variants'][number]) => Promise<number>;
function sentReader(deps: ReportDeps): SentOf {
  const cache = new Map<string, Promise<number>>();
  return (v) => {
    const scope = scopes.variant(v.edition, v.audience, v.language);
    let sent = cache.get(scope);
    if (!sent) {
      sent = deps.counters.read(scope).then((r) => r.counts.sent ?? 0);
      cache.set(scope, sent);
    }
    return sent;
  };
}

/**
 * Recipients who were shown the story: the items' own `sent` counters when the
 * recorder keeps them, else the sends of every variant that showed it.
 */
async function recipients(sentOf: SentOf, use: Use, itemSent = 0): Promise<number> {
  if (itemSent > 0) return itemSent;
  const sent = await Promise.all(use.variants.map(sentOf));
  return sent.reduce((s, n) => s + n, 0);
}

/** A story's item ids in every language: from a story id ({lang}), or an item's own story. */
async function storyItems(
  deps: ReportDeps,
  ref: string,
): Promise<{ story: string; ids: string[]; title: string }> {
  if (STORY_PATTERN.test(ref))
    return { story: ref, ids: LANGUAGES.map((l) => storyItemId(ref, l)), title: ref };
  if (!ITEM_ID.test(ref))
    throw new ValidationError(
      `${quoted(ref)} is neither a content item id nor a story id (a guid with {lang})`,
    );
  const item = await deps.content.get(ref);
  if (!item) throw new NotFoundError(`no content item "${ref}"`);
  const story = storyOf(item.sourceId, item.language);
  return {
    story: story ?? ref,
    ids: story ? LANGUAGES.map((l) => storyItemId(story, l)) : [ref],
    title: item.title,
  };
}

/**
 * One central story: the posts and editions that used it (from the sent editions'
 * blocks), its languages, the recipients reached (the sends of the variants showing
 * it), and its unique clicks by language and by post (from `scopes.item`).
 */
export async function storyReport(deps: ReportDeps, ref: string, period: Period): Promise<Report> {
  const { story, ids, title } = await storyItems(deps, ref);
  const idSet = new Set(ids);
  const use = newUse();
  const [shown, itemCounts] = await Promise.all([
    networkVariants(deps, period),
    // The period's months of each language's item: sends and clicks in the period only.
    Promise.all(ids.flatMap((id) => period.months.map((m) => deps.counters.read(scopes.itemMonth(id, m))))),
  ]);
  for (const v of shown) if (v.items.some((i) => idSet.has(i))) record(use, v);
  const clicks: Record<string, number> = {};
  for (const c of itemCounts) for (const [k, v] of Object.entries(c.counts)) clicks[k] = (clicks[k] ?? 0) + v;
  const reached = await recipients(sentReader(deps), use, clicks.sent ?? 0);
  const byLanguage: Table = {
    name: 'languages',
    title: 'Unique clicks by language',
    columns: [
      { key: 'language', label: 'Language', kind: 'text' },
      { key: 'uniqueClicks', label: 'Unique clicks', kind: 'int' },
    ],
    rows: LANGUAGES.map((l) => ({ language: l, uniqueClicks: clicks[`uclicks_${l}`] ?? 0 })).filter(
      (r) => r.uniqueClicks > 0 || use.languages.has(r.language),
    ),
  };
  const byPost: Table = {
    name: 'posts',
    title: 'Unique clicks by post',
    columns: [
      { key: 'post', label: 'Post', kind: 'text' },
      { key: 'uniqueClicks', label: 'Unique clicks', kind: 'int' },
    ],
    rows: [
      ...new Set([
        ...use.posts,
        ...Object.keys(clicks)
          .filter((k) => k.startsWith('uclicks_post_'))
          .map((k) => k.slice(13)),
      ]),
    ]
      .map((post) => ({ post, uniqueClicks: clicks[`uclicks_post_${post}`] ?? 0 }))
      .sort((a, b) => b.uniqueClicks - a.uniqueClicks || a.post.localeCompare(b.post)),
  };
  const uniqueClicks = clicks.uclicks ?? 0;
  return {
    kind: 'story',
    subject: story,
    title: `Story "${title}"`,
    period,
    generatedAt: deps.clock.now().toISOString(),
    warnings: [],
    notes: [
      "Recipients reached and unique clicks: in the period's months only (the items' monthly counters).",
    ],
    remarks: { title: { id: 'story', values: { title } }, warnings: [], notes: [{ id: 'story.months' }] },
    tables: [
      {
        name: 'summary',
        title: 'Totals',
        columns: [
          { key: 'figure', label: 'Figure', kind: 'text' },
          { key: 'value', label: 'Value', kind: 'number' },
          { key: 'unit', label: 'Unit', kind: 'text' },
        ],
        rows: [
          { figure: 'Posts that used it', value: use.posts.size, unit: 'count' },
          { figure: 'Editions', value: use.editions.size, unit: 'count' },
          { figure: 'Languages', value: use.languages.size, unit: 'count' },
          { figure: 'Recipients reached', value: reached, unit: 'count' },
          { figure: 'Unique clicks', value: uniqueClicks, unit: 'count' },
          { figure: 'Unique clicks / recipients', value: rate(uniqueClicks, reached), unit: 'rate' },
        ],
      },
      byLanguage,
      byPost,
    ],
    charts: [
      {
        id: 'languages',
        title: 'Unique clicks by language',
        type: 'bar',
        labels: byLanguage.rows.map((r) => String(r.language)),
        series: [{ label: 'Unique clicks', data: byLanguage.rows.map((r) => r.uniqueClicks as number) }],
      },
    ],
  };
}

/** Every story used in the period, ranked by unique clicks; and the kinds (article, event, famous Belgian). */
export async function storyLeaderboard(deps: ReportDeps, period: Period): Promise<Report> {
  const uses = new Map<string, Use>();
  for (const v of await networkVariants(deps, period))
    for (const id of v.items) {
      const use = uses.get(id) ?? newUse();
      record(use, v);
      uses.set(id, use);
    }
  const sentOf = sentReader(deps);
  // Every item's sends and clicks of the period: one scope per month for them all.
  const months = await Promise.all(period.months.map((m) => deps.counters.read(itemsMonth(m))));
  const monthly: Record<string, number> = {};
  for (const { counts } of months)
    for (const [k, v] of Object.entries(counts)) monthly[k] = (monthly[k] ?? 0) + v;
  const items = await Promise.all(
    [...uses.entries()].map(async ([id, use]) => {
      const item = await deps.content.get(id);
      const reached = await recipients(sentOf, use, monthly[itemCounter('sent', id)] ?? 0);
      return { id, use, item, clicks: monthly[itemCounter('uclicks', id)] ?? 0, reached };
    }),
  );
  // One row per story: its items in every language together.
  const stories = new Map<
    string,
    {
      title: string;
      kind: string;
      posts: Set<string>;
      editions: Set<string>;
      languages: Set<string>;
      reached: number;
      clicks: number;
    }
  >();
  for (const i of items) {
    const key = (i.item && storyOf(i.item.sourceId, i.item.language)) ?? i.id;
    const s = stories.get(key) ?? {
      title: i.item?.title ?? i.id,
      kind: i.item?.kind ?? 'unknown',
      posts: new Set<string>(),
      editions: new Set<string>(),
      languages: new Set<string>(),
      reached: 0,
      clicks: 0,
    };
    for (const p of i.use.posts) s.posts.add(p);
    for (const e of i.use.editions) s.editions.add(e);
    for (const l of i.use.languages) s.languages.add(l);
    s.reached += i.reached;
    s.clicks += i.clicks;
    stories.set(key, s);
  }
  const rows = [...stories.entries()]
    .map(([story, s]) => ({
      story,
      title: s.title,
      kind: s.kind,
      posts: s.posts.size,
      editions: s.editions.size,
      languages: [...s.languages].sort().join(' '),
      recipients: s.reached,
      uniqueClicks: s.clicks,
      clickRate: rate(s.clicks, s.reached),
    }))
    .sort((a, b) => b.uniqueClicks - a.uniqueClicks || b.posts - a.posts || a.story.localeCompare(b.story));
  const kinds = new Map<
    string,
    { stories: number; posts: Set<string>; recipients: number; clicks: number }
  >();
  for (const [, s] of stories) {
    const k = kinds.get(s.kind) ?? { stories: 0, posts: new Set<string>(), recipients: 0, clicks: 0 };
    k.stories++;
    for (const p of s.posts) k.posts.add(p);
    k.recipients += s.reached;
    k.clicks += s.clicks;
    kinds.set(s.kind, k);
  }
  const kindRows = [...kinds.entries()]
    .map(([kind, k]) => ({
      kind,
      stories: k.stories,
      posts: k.posts.size,
      recipients: k.recipients,
      uniqueClicks: k.clicks,
      clickRate: rate(k.clicks, k.recipients),
    }))
    .sort((a, b) => b.uniqueClicks - a.uniqueClicks);
  return {
    kind: 'story',
    subject: 'leaderboard',
    title: 'Central stories: leaderboard',
    period,
    generatedAt: deps.clock.now().toISOString(),
    warnings: [],
    notes: ['A story is one piece of central content in every language it was used in.'],
    remarks: { title: { id: 'story.leaderboard' }, warnings: [], notes: [{ id: 'story.leaderboard' }] },
    tables: [
      {
        name: 'stories',
        title: 'Stories ranked by unique clicks',
        columns: [
          { key: 'story', label: 'Story', kind: 'text' },
          { key: 'title', label: 'Title', kind: 'text' },
          { key: 'kind', label: 'Kind', kind: 'text' },
          { key: 'posts', label: 'Posts', kind: 'int' },
          { key: 'editions', label: 'Editions', kind: 'int' },
          { key: 'languages', label: 'Languages', kind: 'text' },
          { key: 'recipients', label: 'Recipients reached', kind: 'int' },
          { key: 'uniqueClicks', label: 'Unique clicks', kind: 'int' },
          { key: 'clickRate', label: 'Unique clicks / recipients', kind: 'rate' },
        ],
        rows,
      },
      {
        name: 'kinds',
        title: 'Kinds',
        columns: [
          { key: 'kind', label: 'Kind', kind: 'text' },
          { key: 'stories', label: 'Stories', kind: 'int' },
          { key: 'posts', label: 'Posts', kind: 'int' },
          { key: 'recipients', label: 'Recipients reached', kind: 'int' },
          { key: 'uniqueClicks', label: 'Unique clicks', kind: 'int' },
          { key: 'clickRate', label: 'Unique clicks / recipients', kind: 'rate' },
        ],
        rows: kindRows,
      },
    ],
    charts: [
      {
        id: 'kinds',
        title: 'Unique clicks by kind',
        type: 'bar',
        labels: kindRows.map((k) => k.kind),
        series: [{ label: 'Unique clicks', data: kindRows.map((k) => k.uniqueClicks) }],
      },
    ],
  };
}
