import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFilesFromPath } from '../../functions/adapters/import-files';
import type { Mailer } from '../../functions/core/mail';
import type { Post } from '../../functions/core/model';
import type { Edition } from '../../functions/editions/model';
import { createEdition } from '../../functions/editions/service';
import type { LocalStack } from '../../functions/local/stack';
import { dryRunSend } from '../../functions/sending/dry-run';
import { type ImportOptions, importSubscribers } from '../../functions/subscribers/import/import';
import type { ImportReport } from '../../functions/subscribers/import/report';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { mailchimpFile, writeZip } from '../helpers/mailchimp';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/**
 * Imports as a post leaving Mailchimp or Ymlp does them: the files as those tools write
 * them, into the real store; then the real dispatch and worker (dry run) show who the
 * next send mails.
 */
let stack: LocalStack;
let dir: string;
let tokyo: Post;
let edition: Edition;

async function run(file: string, over: Partial<ImportOptions> = {}): Promise<ImportReport> {
  const files = await importFilesFromPath(join(dir, file));
  try {
    return await importSubscribers(
      {
        subscribers: stack.ctx.repos.subscribers,
        suppressions: stack.ctx.repos.suppressions,
        personKey: stack.ctx.settings.signingKeys[0]?.secret ?? '',
      },
      {
        post: tokyo,
        audience: 'economic',
        format: 'auto',
        map: new Map(),
        dryRun: false,
        now: new Date().toISOString(),
        ...over,
      },
      files.sources,
    );
  } finally {
    files.close();
  }
}

/** The addresses the next send of Tokyo's economic edition would mail. */
async function mailedNext(): Promise<Set<string>> {
  const ids: string[] = [];
  const mailer: Mailer = {
    prepare: async () => ({
      send: async (a) => {
        ids.push(a.recipientId);
        return { messageId: `m-${ids.length}` };
      },
    }),
  };
  await dryRunSend(stack.ctx.sending, edition, mailer);
  const people = await stack.ctx.repos.subscribers.getMany(ids);
  return new Set([...people.values()].map((p) => p.email));
}

const lines = (list: { rows: { line: number }[] }) => list.rows.map((r) => r.line);

beforeAll(async () => {
  stack = await startSeededStack(20);
  dir = await mkdtemp(join(tmpdir(), 'missive-import-'));
  tokyo = (await stack.ctx.repos.posts.get('tokyo')) as Post;
  edition = await createEdition(stack.ctx.editions, { id: 'ed', roles: ['editor'] }, 'tokyo', {
    title: 'Tokyo news',
    sensitive: false,
    variants: (['en', 'fr', 'nl'] as const).map((language) => ({
      audience: 'economic',
      language,
      subject: 'News',
      preheader: '',
      intro: 'Hello',
      blocks: [{ type: 'local' as const, title: 'News', text: 'For the economic audience.' }],
    })),
  });
}, 60_000);
afterAll(async () => stack?.stop());

describe('importing a Mailchimp audience', () => {
  it('imports an older-name subscribed file as confirmed subscriptions with the consent evidence, and reports bad lines', async () => {
    await writeFile(
      join(dir, 'subscribed_members_export_9f2c1a.csv'),
      mailchimpFile('older', [
        ['anna.peeters@example.org', 'Anna', 'Peeters'], // line 2
        ['bert.janssens@example.org', 'Bert', 'Janssens'], // 3
        ['not-an-address', 'No', 'Body'], // 4
        ['carla.dubois@example.org', 'Carla', 'Dubois'], // 5
        ['Anna.Peeters@EXAMPLE.org', 'Anna', 'Again'], // 6: same person
        ['dirk@gmial.com', 'Dirk', 'Maes'], // 7: typo reported, imported as written
      ]),
    );
    const report = await run('subscribed_members_export_9f2c1a.csv');
    expect(report.files).toEqual([expect.objectContaining({ status: 'subscribed', rows: 6 })]);
    expect(report.imported).toBe(4);
    expect(lines(report.invalid)).toEqual([4]);
    expect(lines(report.duplicates.inFile)).toEqual([6]);
    expect(report.duplicates.inFile.rows[0]?.reason).toBe('same address as line 2');
    expect(report.typos.rows).toEqual([expect.objectContaining({ line: 7, suggestion: 'dirk@gmail.com' })]);

    const anna = await stack.ctx.repos.subscribers.findByEmail('anna.peeters@example.org');
    expect(anna?.name).toBe('Anna Peeters');
    const [subscription] = await stack.ctx.repos.subscribers.subscriptionsOf(anna?.id ?? '');
    expect(subscription).toMatchObject({
      post: 'tokyo',
      audience: 'economic',
      status: 'confirmed',
      consent: {
        at: '2024-03-01T09:15:00.000Z',
        confirmedAt: '2024-03-01T09:20:00.000Z',
        source: 'import:mailchimp:subscribed_members_export_9f2c1a.csv',
      },
    });
    const mailed = await mailedNext();
    for (const email of ['anna.peeters@example.org', 'bert.janssens@example.org', 'carla.dubois@example.org'])
      expect(mailed).toContain(email);
  });

  it('reads the current export ZIP: unsubscribed and cleaned people are not mailed by the next send, non-subscribed are skipped', async () => {
    await writeZip(join(dir, 'audience_export_37a135f743.zip'), {
      'subscribed_email_audience_export_37a135f743.csv': mailchimpFile('subscribed', [
        ['emma.claes@example.org', 'Emma', 'Claes'],
      ]),
      'unsubscribed_email_audience_export_37a135f743.csv': mailchimpFile('unsubscribed', [
        ['bert.janssens@example.org', 'Bert', 'Janssens'], // was confirmed: now unsubscribed
        ['frank.wouters@example.org', 'Frank', 'Wouters'], // new: an unsubscribed record only
      ]),
      'cleaned_email_audience_export_37a135f743.csv': mailchimpFile('cleaned', [
        ['carla.dubois@example.org', 'Carla', 'Dubois'],
        ['gina.smets@example.org', 'Gina', 'Smets'],
      ]),
      'nonsubscribed_email_audience_export_37a135f743.csv': mailchimpFile('subscribed', [
        ['hugo.lambert@example.org', 'Hugo', 'Lambert'],
      ]),
    });
    const report = await run('audience_export_37a135f743.zip');
    expect(report.files.map((f) => [f.status, f.rows])).toEqual([
      ['subscribed', 1],
      ['unsubscribed', 2],
      ['cleaned', 2],
      ['nonsubscribed', 1],
    ]);
    expect(report).toMatchObject({ imported: 2, updated: 1, suppressionsAdded: 2 });
    expect(report.skipped.rows).toEqual([
      expect.objectContaining({ file: 'nonsubscribed_email_audience_export_37a135f743.csv', line: 2 }),
    ]);
    expect(await stack.ctx.repos.suppressions.get('carla.dubois@example.org')).toMatchObject({
      reason: 'bounce',
      detail: 'cleaned by Mailchimp',
    });
    expect(await stack.ctx.repos.subscribers.findByEmail('hugo.lambert@example.org')).toBeUndefined();

    const mailed = await mailedNext();
    expect(mailed).toContain('anna.peeters@example.org');
    expect(mailed).toContain('emma.claes@example.org');
    for (const email of [
      'bert.janssens@example.org',
      'frank.wouters@example.org',
      'carla.dubois@example.org',
      'gina.smets@example.org',
    ])
      expect(mailed).not.toContain(email);
  });

  it('changes nothing when the same files are imported again, and never revives a suppressed address', async () => {
    const again = await run('audience_export_37a135f743.zip');
    expect(again).toMatchObject({ imported: 0, updated: 0, suppressionsAdded: 0, unchanged: 5 });
    const older = await run('subscribed_members_export_9f2c1a.csv');
    expect(older).toMatchObject({ imported: 0, updated: 0 });
    // Carla was cleaned, Bert unsubscribed: a subscribed row brings back neither.
    expect(lines(older.suppressed)).toEqual([5]);
    expect(older.skipped.rows).toEqual([expect.objectContaining({ line: 3 })]);
    const mailed = await mailedNext();
    expect(mailed).not.toContain('carla.dubois@example.org');
    expect(mailed).not.toContain('bert.janssens@example.org');
  });

  it('refuses a renamed Mailchimp export whose status is unknown, before writing anything', async () => {
    await writeFile(
      join(dir, 'my-list.csv'),
      mailchimpFile('subscribed', [['nina.renamed@example.org', 'Nina', 'Renamed']]),
    );
    await expect(run('my-list.csv')).rejects.toThrow(
      /^my-list\.csv: a Mailchimp export whose name does not say the status .*give --status$/,
    );
    expect(await stack.ctx.repos.subscribers.findByEmail('nina.renamed@example.org')).toBeUndefined();
  });

  it('refuses a ZIP with a file it cannot map before writing any of it, and names a duplicate across files by file and line', async () => {
    await writeZip(join(dir, 'mixed.zip'), {
      'a.csv': 'Email,Name\nparis.first@example.org,Paris\n',
      'b.csv': 'Who,When\nx,y\n',
    });
    await expect(run('mixed.zip')).rejects.toThrow(/^b\.csv:1: no email column in the header/);
    expect(await stack.ctx.repos.subscribers.findByEmail('paris.first@example.org')).toBeUndefined();

    await writeZip(join(dir, 'twice.zip'), {
      'a.csv': 'Email,Name\nparis.first@example.org,Paris\n',
      'b.csv': 'Email;Name\nrita@example.org;Rita\nPARIS.first@example.org;Paris\n',
    });
    const report = await run('twice.zip', { dryRun: true });
    expect(report.duplicates.inFile.rows).toEqual([
      { file: 'b.csv', line: 3, reason: 'same address as a.csv:2' },
    ]);
  });

  it('reads the older export ZIP (members_export) and loose current unsubscribed and cleaned files', async () => {
    await writeZip(join(dir, 'members_export_9f2c1a.zip'), {
      'subscribed_members_export_9f2c1a.csv': mailchimpFile('older', [
        ['quinn.old@example.org', 'Quinn', 'Old'],
      ]),
      'unsubscribed_members_export_9f2c1a.csv': mailchimpFile('older', [
        ['rosa.old@example.org', 'Rosa', 'Old'],
      ]),
      'cleaned_members_export_9f2c1a.csv': mailchimpFile('older', [['sam.old@example.org', 'Sam', 'Old']]),
    });
    const zipped = await run('members_export_9f2c1a.zip');
    expect(zipped.files.map((f) => f.status)).toEqual(['subscribed', 'unsubscribed', 'cleaned']);
    expect(zipped).toMatchObject({ imported: 2, suppressionsAdded: 1 });

    await writeFile(
      join(dir, 'unsubscribed_email_audience_export_loose.csv'),
      mailchimpFile('unsubscribed', [['quinn.old@example.org', 'Quinn', 'Old']]),
    );
    await writeFile(
      join(dir, 'cleaned_email_audience_export_loose.csv'),
      mailchimpFile('cleaned', [['rosa.old@example.org', 'Rosa', 'Old']]),
    );
    expect(await run('unsubscribed_email_audience_export_loose.csv')).toMatchObject({ updated: 1 });
    expect(await run('cleaned_email_audience_export_loose.csv')).toMatchObject({ suppressionsAdded: 1 });
    const mailed = await mailedNext();
    for (const email of ['quinn.old@example.org', 'rosa.old@example.org', 'sam.old@example.org'])
      expect(mailed).not.toContain(email);
  });

  it(
    "keeps TAGS and the audience's own merge fields on the subscription: shown by `subscribers show`, gone after erase",
    SPAWNING,
    async () => {
      // An audience with its own merge fields (Company, Embassy Contact, an empty Birthday).
      const header =
        'Email Address,First Name,Last Name,Company,Embassy Contact,Birthday,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS';
      await writeFile(
        join(dir, 'subscribed_email_audience_export_tags1.csv'),
        [
          header,
          'tagged.person@example.org,Tina,Tagged,"Acme, Inc.",Consul Smith,,2,"2024-03-01 09:15:00",,,,,,,,,,1,,,"""Member"",""2026 gala"",""Trade, fairs"""',
          'untagged.person@example.org,Ulla,Plain,,,,2,,,,,,,,,,,2,,,',
        ].join('\r\n'),
      );
      const report = await run('subscribed_email_audience_export_tags1.csv');
      expect(report.imported).toBe(2);
      const tagged = await stack.ctx.repos.subscribers.findByEmail('tagged.person@example.org');
      const [subscription] = await stack.ctx.repos.subscribers.subscriptionsOf(tagged?.id ?? '');
      expect(subscription?.tags).toEqual(['Member', '2026 gala', 'Trade, fairs']);
      expect(subscription?.fields).toEqual({ Company: 'Acme, Inc.', 'Embassy Contact': 'Consul Smith' });
      const untagged = await stack.ctx.repos.subscribers.findByEmail('untagged.person@example.org');
      const [plain] = await stack.ctx.repos.subscribers.subscriptionsOf(untagged?.id ?? '');
      expect(plain?.tags).toBeUndefined();
      expect(plain?.fields).toBeUndefined();

      const env = stackEnv(stack);
      const shown = await missive(['subscribers', 'show', 'tagged.person@example.org'], env);
      expect(shown.code).toBe(0);
      expect(JSON.parse(shown.stdout).subscriptions).toEqual([
        expect.objectContaining({
          tags: ['Member', '2026 gala', 'Trade, fairs'],
          fields: { Company: 'Acme, Inc.', 'Embassy Contact': 'Consul Smith' },
        }),
      ]);
      const erased = await missive(
        ['subscribers', 'erase', 'tagged.person@example.org', '--yes', '--json'],
        env,
      );
      expect(erased.code).toBe(0);
      const left = await stack.ctx.dynamo.doc.send(
        new ScanCommand({ TableName: stack.ctx.settings.tables.subscribers }),
      );
      const text = JSON.stringify(left.Items);
      expect(text).not.toContain('Consul Smith');
      expect(text).not.toContain('Trade, fairs');
    },
  );

  it('reports and writes nothing on a dry run', async () => {
    await writeFile(
      join(dir, 'subscribed_email_audience_export_dry.csv'),
      mailchimpFile('subscribed', [['ivo.dry@example.org', 'Ivo', 'Dry']]),
    );
    const report = await run('subscribed_email_audience_export_dry.csv', { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, imported: 1 });
    expect(await stack.ctx.repos.subscribers.findByEmail('ivo.dry@example.org')).toBeUndefined();
  });
});

describe('importing any CSV', () => {
  it('reads a semicolon CSV in Latin-1, maps columns by name and --map, and reports malformed rows by line', async () => {
    const text = [
      'Courriel;Prénom;Nom;Langue;Remarque',
      'jose.lopez@example.org;José;López;fr;ok', // 2
      'broken;row', // 3: too few fields
      'chloe.noel@example.org;Chloé;Noël;nl;ok;one field too many', // 4
      'eloise@;Éloïse;Martin;fr;', // 5: invalid
      'marc.petit@example.org;Marc;Petit;xx;', // 6: unknown language: the post default
    ].join('\n');
    await writeFile(join(dir, 'liste.csv'), Buffer.from(text, 'latin1'));
    const report = await run('liste.csv', { map: new Map([['Remarque', 'ignore']]) });
    expect(report.files).toEqual([expect.objectContaining({ encoding: 'latin1', delimiter: ';' })]);
    expect(report.imported).toBe(2);
    expect(lines(report.malformed)).toEqual([3, 4]);
    expect(lines(report.invalid)).toEqual([5]);
    const jose = await stack.ctx.repos.subscribers.findByEmail('jose.lopez@example.org');
    expect(jose).toMatchObject({ name: 'José López', language: 'fr' });
    expect((await stack.ctx.repos.subscribers.findByEmail('marc.petit@example.org'))?.language).toBe('en');
  });

  it('reads a tab-separated UTF-8 file with a BOM', async () => {
    await writeFile(join(dir, 'tabs.csv'), '\uFEFFEmail\tName\nkenji.sato@example.org\t佐藤 健二\n');
    const report = await run('tabs.csv');
    expect(report).toMatchObject({
      imported: 1,
      files: [expect.objectContaining({ encoding: 'utf-8', delimiter: '\t' })],
    });
    expect((await stack.ctx.repos.subscribers.findByEmail('kenji.sato@example.org'))?.name).toBe('佐藤 健二');
  });

  it(
    'imports a Ymlp unsubscribed list with the CLI (--status unsubscribed), and refuses a binary file in one line',
    SPAWNING,
    async () => {
      await writeFile(
        join(dir, 'ymlp-unsubscribed.csv'),
        'Email,Name\nemma.claes@example.org,Emma Claes\nluc.ymlp@example.org,Luc\n',
      );
      const env = stackEnv(stack);
      const out = await missive(
        [
          'subscribers',
          'import',
          '--post',
          'tokyo',
          '--audience',
          'economic',
          '--file',
          join(dir, 'ymlp-unsubscribed.csv'),
          '--status',
          'unsubscribed',
          '--json',
        ],
        env,
      );
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const { report } = JSON.parse(out.stdout) as { report: ImportReport };
      expect(report).toMatchObject({
        imported: 1,
        updated: 1,
        files: [expect.objectContaining({ status: 'unsubscribed' })],
      });
      expect(await mailedNext()).not.toContain('emma.claes@example.org');

      await writeFile(
        join(dir, 'photo.csv'),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      );
      const bad = await missive(
        [
          'subscribers',
          'import',
          '--post',
          'tokyo',
          '--file',
          join(dir, 'photo.csv'),
          '--audience',
          'economic',
        ],
        env,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^missive: photo\.csv: not a CSV text file \(binary content/),
      ]);
    },
  );
});

describe('importing through the API', () => {
  const upload = async (query: string, body: Buffer, post = 'tokyo', contentType = 'application/zip') =>
    fetch(`${stack.urls.api}/posts/${post}/subscribers/import?${query}`, {
      method: 'POST',
      headers: {
        ...bearer(await tokenFor(stack, [{ role: 'post-editor', post: 'tokyo' }])),
        'content-type': contentType,
      },
      body: new Uint8Array(body),
    });

  it("takes an editor's Mailchimp ZIP as the body, answers the report and audits the counts", async () => {
    await writeZip(join(dir, 'api.zip'), {
      'subscribed_email_audience_export_api.csv': mailchimpFile('subscribed', [
        ['olga.api@example.org', 'Olga', 'Api'],
        ['broken@', 'Bad', 'Row'],
      ]),
    });
    const body = await readFile(join(dir, 'api.zip'));
    const dry = await upload('audience=economic&dryRun=true&name=export.zip', body);
    expect(dry.status).toBe(200);
    expect(await stack.ctx.repos.subscribers.findByEmail('olga.api@example.org')).toBeUndefined();

    const res = await upload('audience=economic&name=export.zip', body);
    expect(res.status).toBe(201);
    const { report } = (await res.json()) as { report: ImportReport };
    expect(report).toMatchObject({ imported: 1, invalid: { count: 1 } });
    expect(report.invalid.rows[0]).toMatchObject({
      file: 'subscribed_email_audience_export_api.csv',
      line: 3,
    });
    expect(await mailedNext()).toContain('olga.api@example.org');
    const audit = await stack.ctx.audit.list('tokyo');
    const entry = audit.items.find((e) => e.action === 'subscribers.imported');
    expect(entry).toMatchObject({ detail: expect.objectContaining({ imported: 1, invalid: 1 }) });
    expect(JSON.stringify(entry)).not.toContain('olga');
  });

  it('takes a Latin-1 CSV sent as text/csv as its bytes (detected as the CLI does), and files up to 4 MiB', async () => {
    // "Zoë Lefèvre" in Windows-1252, as a spreadsheet saves it; bigger than the local server once took (1 MiB).
    const rows = ['Email;Prénom;Nom', 'zoe.latin@example.org;Zoë;Lefèvre'];
    // Long fields make it 1.5 MiB in 1,500 rows.
    for (let i = 0; i < 1500; i++) rows.push(`padding${i}@example.org;Pad;${'x'.repeat(1000)}`);
    const body = Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1');
    const res = await upload('audience=economic&dryRun=true&name=latin.csv', body, 'tokyo', 'text/csv');
    expect(res.status).toBe(200);
    const { report } = (await res.json()) as { report: ImportReport };
    expect(report.files).toEqual([expect.objectContaining({ encoding: 'latin1', delimiter: ';' })]);
    expect(report.invalid.count).toBe(0);
    expect(report.imported).toBe(rows.length - 1);
    // Written for real, the name is as typed, not garbled.
    const small = Buffer.from('Email;Prénom;Nom\r\nzoe.latin@example.org;Zoë;Lefèvre\r\n', 'latin1');
    expect((await upload('audience=economic&name=latin.csv', small, 'tokyo', 'text/csv')).status).toBe(201);
    expect((await stack.ctx.repos.subscribers.findByEmail('zoe.latin@example.org'))?.name).toBe(
      'Zoë Lefèvre',
    );
  });

  it('answers 413 with what to do for a file over what the API takes, and over the 10 MB payload limit', async () => {
    const over = Buffer.alloc(5 * 1024 * 1024, 'a');
    const tooBig = await upload('audience=economic', over, 'tokyo', 'text/csv');
    expect(tooBig.status).toBe(413);
    expect(JSON.stringify(await tooBig.json())).toMatch(
      /over 4 MiB; import bigger lists with `missive subscribers import`/,
    );
    const huge = await upload('audience=economic', Buffer.alloc(11 * 1024 * 1024, 'a'), 'tokyo', 'text/csv');
    expect(huge.status).toBe(413);
    expect(JSON.stringify(await huge.json())).toMatch(/over 10 MB/);
  });

  it("refuses another post's list (404, as every post-scoped route) and a binary body with one clear line (400)", async () => {
    const csv = Buffer.from('Email\nx@example.org\n');
    expect((await upload('audience=economic', csv, 'washington', 'text/csv')).status).toBe(404);
    const bad = await upload(
      'audience=economic',
      Buffer.from([0, 1, 2, 3, 4, 5]),
      'tokyo',
      'application/octet-stream',
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/not a CSV text file/);
  });
});
