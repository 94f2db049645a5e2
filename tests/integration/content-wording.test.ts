import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContentItem, storyItemId, storyOf } from '../../functions/content/content';
import type { Edition } from '../../functions/editions/model';
import type { WordingReport } from '../../functions/editions/wording';
import type { LocalStack } from '../../functions/local/stack';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/**
 * The on-the-record rule on the local stack (dynalite): a post puts a central story in
 * its own words; HQ reads the difference per item, for the story in every language.
 */
let stack: LocalStack;
let tokyo: Record<string, string>;
let hq: Record<string, string>;
let item: ContentItem;
let story: string;

beforeAll(async () => {
  stack = await startSeededStack(20);
  tokyo = bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]));
  hq = bearer(await tokenFor(stack, [{ role: 'hq-editor' }]));
  const en = (await stack.ctx.content.content.query({ language: 'en', limit: 20 })).items;
  const withStory = en.find((i) => storyOf(i.sourceId, 'en'));
  if (!withStory) throw new Error('the seeded feeds have no story in several languages');
  item = withStory;
  story = storyOf(item.sourceId, 'en') as string;
}, 120_000);
afterAll(async () => stack?.stop());

async function call<T>(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T & { error?: { message: string } } };
}

/** An edition as written: the story, each variant taking its item in its own language. */
const edition = (en: Record<string, string>, fr: Record<string, string>) => ({
  title: 'Tokyo news',
  sensitive: false,
  variants: [
    {
      audience: 'economic',
      language: 'en',
      subject: 'News',
      preheader: '',
      intro: '',
      blocks: [{ type: 'central', story, ...en }],
    },
    {
      audience: 'cultural',
      language: 'fr',
      subject: 'Nouvelles',
      preheader: '',
      intro: '',
      blocks: [{ type: 'central', story, ...fr }],
    },
  ],
});

const wording = (id: string, who = hq) => call<WordingReport>('GET', `/content/${id}/wording`, who);

describe('GET /content/{id}/wording', () => {
  it("lists each post's rewording of the story in every language, word by word against HQ's text", async () => {
    const before = await wording(item.id);
    expect(before.status).toBe(200);
    expect(before.body.changes).toEqual([]);

    const ourTitle = `${item.title} in Tokyo`;
    const created = await call<{ edition: Edition }>(
      'POST',
      '/posts/tokyo/editions',
      tokyo,
      edition({ title: ourTitle }, { summary: 'Notre résumé <b>à nous</b>' }),
    );
    expect(created.status).toBe(201);
    const id = created.body.edition.id;
    // An edition in HQ's words is not listed, nor one that wrote HQ's own words as its own.
    await call('POST', '/posts/tokyo/editions', tokyo, edition({}, {}));
    await call(
      'POST',
      '/posts/tokyo/editions',
      tokyo,
      edition({ title: item.title, summary: item.summary }, {}),
    );

    const after = await wording(item.id);
    expect(after.status).toBe(200);
    expect(after.body.story).toBe(story);
    const byLanguage = new Map(after.body.changes.map((c) => [c.language, c]));
    expect(after.body.changes).toHaveLength(2);
    const en = byLanguage.get('en');
    expect(en).toMatchObject({ post: 'tokyo', edition: id, status: 'draft', audiences: ['economic'] });
    expect(en?.title?.hq).toBe(item.title);
    expect(en?.title?.post).toBe(ourTitle);
    expect(en?.title?.changes.filter((c) => c.added).map((c) => c.text.trim())).toEqual(['in Tokyo']);
    expect(en?.summary).toBeUndefined();
    const fr = byLanguage.get('fr');
    expect(fr?.item).toBe(storyItemId(story, 'fr'));
    expect(fr?.summary?.post).toBe('Notre résumé <b>à nous</b>');
    expect(fr?.summary?.hq).toBe((await stack.ctx.content.content.get(storyItemId(story, 'fr')))?.summary);

    // Asked from the French item, the same story: the same list.
    expect((await wording(storyItemId(story, 'fr'))).body.changes).toHaveLength(2);

    // Back to HQ's words in English: only the French rewording is left.
    const read = await call<{ edition: Edition }>('GET', `/posts/tokyo/editions/${id}`, tokyo);
    const back = edition({}, { summary: 'Notre résumé <b>à nous</b>' });
    const put = await call('PUT', `/posts/tokyo/editions/${id}`, tokyo, {
      ...back,
      version: read.body.edition.version,
    });
    expect(put.status).toBe(200);
    expect((await wording(item.id)).body.changes.map((c) => c.language)).toEqual(['fr']);
  });

  it('is for HQ: the spokesperson and admins read it, a post editor or an analyst gets 403', async () => {
    const spokesperson = bearer(await tokenFor(stack, [{ role: 'spokesperson' }]));
    expect((await wording(item.id, spokesperson)).status).toBe(200);
    const denied = await wording(item.id, tokyo);
    expect(denied.status).toBe(403);
    expect(denied.body.error?.message).toBe('your role does not allow this');
    const analyst = bearer(await tokenFor(stack, [{ role: 'analyst' }]));
    expect((await wording(item.id, analyst)).status).toBe(403);
    const missing = await wording('en-nosuchitemnosuchitem');
    expect(missing.status).toBe(404);
    expect(missing.body.error?.message).toBe('no content item "en-nosuchitemnosuchitem"');
  });
});
