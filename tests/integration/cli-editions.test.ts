import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../functions/cli/main';
import { contentId } from '../../functions/content/content';
import { EDITION_SCHEMA_PATH, editionJsonSchema } from '../../functions/editions/schema';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { smallSeeds } from '../helpers/seeds';
import { bearer, stackOptions, tokenFor } from '../helpers/stack';

const ROOT = join(import.meta.dirname, '..', '..');

/** main() in this process (as bin/missive.js runs it), its output captured. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    process.exitCode = undefined;
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('the edition format', () => {
  it('docs/edition.schema.json is what the zod schemas generate (run `missive edition schema --out` after a change)', async () => {
    const committed = JSON.parse(await readFile(join(ROOT, EDITION_SCHEMA_PATH), 'utf8'));
    expect(committed).toEqual(editionJsonSchema());
    const printed = await cli(['edition', 'schema']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(committed);
    // Unknown keys are refused by the schema as by the CLI and the API.
    expect(committed.additionalProperties).toBe(false);
  });
});

describe('missive edition: a documented format, round trips, clear mistakes', SPAWNING, () => {
  let stack: LocalStack;
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds() }));
    // In-process commands read their settings from the environment, as the binary does.
    Object.assign(process.env, stackEnv(stack));
    dir = await mkdtemp(join(tmpdir(), 'missive-edition-'));
  });
  afterAll(async () => {
    process.env = saved;
    await stack?.stop();
  });

  it('new → edit → create → show --json → update round-trips; the starter is valid against the schema', async () => {
    const file = join(dir, 'tokyo.json');
    const made = await missive(['edition', 'new', '--post', 'tokyo', '--out', file], stackEnv(stack));
    expect(made.code).toBe(0);
    const starter = JSON.parse(await readFile(file, 'utf8'));
    // A starter never overwrites a file (it may be an edition being written).
    const again = await cli(['edition', 'new', '--post', 'tokyo', '--out', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `missive: cannot write ${file}: it exists: choose another --out, or delete it first\n`,
    );
    const tokyo = await stack.ctx.repos.posts.get('tokyo');
    expect(starter.variants).toHaveLength((tokyo?.audiences.length ?? 0) * (tokyo?.languages.length ?? 0));
    expect(starter.$schema).toMatch(/docs\/edition\.schema\.json$/);
    // The reference resolves from the file's folder, as an editor resolves it.
    const referenced = JSON.parse(await readFile(join(dir, starter.$schema), 'utf8'));
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(referenced);
    expect(validate(starter), JSON.stringify(validate.errors)).toBe(true);

    // Edit: a story block (one id across languages) in every variant.
    starter.title = 'Tokyo: November';
    for (const v of starter.variants) v.blocks.unshift({ type: 'central', story: 'focus-bruegel-{lang}' });
    await writeFile(file, JSON.stringify(starter));
    const created = await missive(
      ['edition', 'create', '--post', 'tokyo', '--file', file, '--json'],
      stackEnv(stack),
    );
    expect(created.stderr).toBe('');
    const id = JSON.parse(created.stdout).edition.id as string;
    const stored = await stack.ctx.repos.editions.get(id);
    // Each variant takes the story in its own language.
    for (const v of stored?.variants ?? []) {
      expect(v.blocks[0]).toEqual({
        type: 'central',
        story: 'focus-bruegel-{lang}',
        item: contentId(v.language, `focus-bruegel-${v.language}`),
      });
    }
    expect(await stack.ctx.content.content.get(contentId('fr', 'focus-bruegel-fr'))).toBeDefined();

    const shown = await cli(['edition', 'show', id, '--json']);
    const doc = JSON.parse(shown.stdout);
    doc.edition.title = 'Tokyo: November (revised)';
    const showFile = join(dir, 'shown.json');
    await writeFile(showFile, JSON.stringify(doc, null, 2));
    const updated = await cli(['edition', 'update', id, '--file', showFile, '--json']);
    expect(updated.stderr).toBe('');
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout).edition).toMatchObject({
      title: 'Tokyo: November (revised)',
      version: 2,
    });
    // The version read is checked: the same file again is a stale copy.
    const stale = await cli(['edition', 'update', id, '--file', showFile]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/version 1 is not the current version 2: reload first/);

    // The API takes back what it answers, too (PUT the GET answer), and refuses an unknown key with its path.
    const headers = { ...bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }])) };
    const url = `${stack.urls.api}/posts/tokyo/editions/${id}`;
    const got = (await (await fetch(url, { headers })).json()) as { edition: { title: string } };
    got.edition.title = 'Tokyo: November (API)';
    const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(got) });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { edition: { version: number } }).edition.version).toBe(3);
    const typo = await fetch(`${stack.urls.api}/posts/tokyo/editions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...starter, $schema: undefined, titel: 'x' }),
    });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { error: { message: string } }).error.message).toBe(
      'edition: Unrecognized key: "titel"',
    );
  });

  it('an unknown key is refused with its JSON path; a story missing in a language with its block', async () => {
    const file = join(dir, 'typo.json');
    const starter = JSON.parse((await cli(['edition', 'new', '--post', 'tokyo'])).stdout);
    starter.variants[1].preheder = 'misspelt';
    await writeFile(file, JSON.stringify(starter));
    const r = await cli(['edition', 'create', '--post', 'tokyo', '--file', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`missive: ${file}: variants.1: Unrecognized key: "preheder"\n`);

    // A story without an item in a variant's language is named with its block when written.
    delete starter.variants[1].preheder;
    starter.variants[2].blocks.push({ type: 'central', story: 'focus-no-such-story-{lang}' });
    await writeFile(file, JSON.stringify(starter));
    const story = await cli(['edition', 'create', '--post', 'tokyo', '--file', file]);
    expect(story.code).toBe(2);
    expect(story.stderr).toBe(
      `missive: ${file}: variants.2.blocks.1.story: "focus-no-such-story-{lang}" has no ${starter.variants[2].language} item (see \`missive content list --lang ${starter.variants[2].language}\`)\n`,
    );
  });

  it('bad JSON is reported by line and column; a Latin-1 file by its line', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{\n  "title": "x",\n  "variants": [}\n');
    const r = await cli(['edition', 'create', '--post', 'tokyo', '--file', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`missive: ${bad}:3:16: not valid JSON: a value expected (a trailing comma?)\n`);

    const latin = join(dir, 'latin1.json');
    await writeFile(
      latin,
      Buffer.from('{\n  "title": "Caf\u00e9 du lundi",\n  "variants": []\n}\n', 'latin1'),
    );
    const l = await cli(['edition', 'create', '--post', 'tokyo', '--file', latin]);
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(new RegExp(`^missive: ${latin}:2: not UTF-8 text`));

    // The crisis alert file is read the same way.
    const alert = join(dir, 'alert.json');
    await writeFile(alert, '{"messages": {"en": {"subject": "Storm", "text": "Stay in" }}');
    const c = await cli(['crisis', 'send', '--posts', 'tokyo', '--file', alert]);
    expect(c.code).toBe(2);
    expect(c.stderr).toBe(`missive: ${alert}:1:62: not valid JSON: a } expected\n`);
  });

  it('--role gets the rule the API applies: an analyst cannot submit, a post editor of another post neither', async () => {
    const ed = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find((e) => e.status === 'draft');
    const id = ed?.id ?? '';
    const analyst = await cli(['edition', 'submit', id, '--role', 'analyst']);
    expect(analyst.code).toBe(2);
    expect(analyst.stderr).toMatch(/^missive: --role analyst: your role does not allow this/);
    expect((await stack.ctx.repos.editions.get(id))?.status).toBe('draft');
    const hq = await cli(['edition', 'cancel', id, '--role', 'hq-editor']);
    expect(hq.code).toBe(2);
    expect(hq.stderr).toMatch(/that role is not held for tokyo/);
    const editor = await cli(['edition', 'cancel', id, '--role', 'post-editor', '--as', 'jane.doe']);
    expect(editor.code).toBe(0);
  });

  it('list of an unknown post, preview into a missing folder, test-send --as: clear answers', async () => {
    const list = await cli(['edition', 'list', '--post', 'tokio']);
    expect(list.code).toBe(2);
    expect(list.stderr).toBe('missive: no post "tokio": see `missive post list`\n');

    const ed = (await stack.ctx.repos.editions.listByPost('tokyo')).items.find(
      (e) => e.status === 'approved',
    );
    const id = ed?.id ?? '';
    const preview = await cli([
      'edition',
      'preview',
      id,
      '--audience',
      'economic',
      '--lang',
      'en',
      '--out',
      '/nonexistent-dir/p.html',
    ]);
    expect(preview.code).toBe(2);
    expect(preview.stderr).toBe(
      'missive: cannot write /nonexistent-dir/p.html: no folder /nonexistent-dir\n',
    );

    const test = await cli([
      'edition',
      'test-send',
      id,
      '--audience',
      'economic',
      '--lang',
      'en',
      '--to',
      'editor@example.org',
      '--as',
      'jane.doe',
    ]);
    expect(test.stderr).toBe('');
    expect(test.stdout).toMatch(/^sent to editor@example\.org /);
  });

  it('content list: a bad date or cursor is one line and exit 2; each item shows its story', async () => {
    const from = await cli(['content', 'list', '--lang', 'fr', '--from', 'notadate']);
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/--from <date>.*must be a date like 2026-11-25/);
    const order = await cli([
      'content',
      'list',
      '--lang',
      'fr',
      '--from',
      '2026-12-01',
      '--to',
      '2026-11-01',
    ]);
    expect(order.code).toBe(2);
    const junk = await cli(['content', 'list', '--lang', 'fr', '--cursor', 'bm90LWEtY3Vyc29y']);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^missive: cursor: not a cursor of this list/);
    const page = await cli(['content', 'list', '--lang', 'nl', '--limit', '2', '--json']);
    const { items, cursor } = JSON.parse(page.stdout) as { items: { story?: string }[]; cursor: string };
    expect(items[0]?.story).toMatch(/^focus-[a-z-]+-\{lang\}$/);
    // Another language's cursor is not this list's either.
    const other = await cli(['content', 'list', '--lang', 'fr', '--cursor', cursor]);
    expect(other.stderr).not.toMatch(/unexpected error/);
    const table = await cli(['content', 'list', '--lang', 'en', '--q', 'Bruegel']);
    expect(table.stdout).toMatch(/^DATE\s+KIND\s+TITLE\s+ID\s+STORY/);
    expect(table.stdout).toMatch(/Pieter Bruegel the Elder\s+en-\S+\s+focus-bruegel-\{lang\}/);
    // The API gives the story too.
    const token = await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }]);
    const api = await fetch(`${stack.urls.api}/content?lang=fr&q=Bruegel`, { headers: bearer(token) });
    const answer = (await api.json()) as { items: { story?: string }[] };
    expect(answer.items[0]?.story).toBe('focus-bruegel-{lang}');
  });

  it('an item without a link or title (Atom id only, JSON Feed) renders without "read more"', async () => {
    const feed = join(dir, 'micro.json');
    await writeFile(
      feed,
      JSON.stringify({
        version: '1.1',
        title: 'Micro',
        items: [
          {
            id: 'urn:micro:osaka-pop-up',
            content_html: '<p>Belgian chocolatiers open a pop-up in Osaka this weekend.</p>',
            date_published: '2026-11-20T10:00:00Z',
          },
        ],
      }),
    );
    const imported = await cli(['content', 'import', '--file', feed, '--lang', 'en', '--json']);
    expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'ok', new: 1 });
    const item = contentId('en', 'urn:micro:osaka-pop-up');
    const file = join(dir, 'linkless.json');
    await writeFile(
      file,
      JSON.stringify({
        title: 'Linkless',
        variants: [
          {
            audience: 'economic',
            language: 'en',
            subject: 'News',
            blocks: [{ type: 'central', item }],
          },
        ],
      }),
    );
    const created = await cli(['edition', 'create', '--post', 'tokyo', '--file', file, '--json']);
    const id = JSON.parse(created.stdout).edition.id as string;
    const out = join(dir, 'linkless.html');
    const preview = await cli([
      'edition',
      'preview',
      id,
      '--audience',
      'economic',
      '--lang',
      'en',
      '--out',
      out,
    ]);
    expect(preview.stderr).toBe('');
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Belgian chocolatiers open a pop-up in Osaka this weekend.');
    expect(html).not.toMatch(/Read more/i);
  });
});
