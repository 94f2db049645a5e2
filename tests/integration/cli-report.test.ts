import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCounter, reportScopes, scopes } from '../../functions/engagement/model';
import { type LocalStack, startLocalStack } from '../../functions/local/stack';
import { missive, SPAWNING, stackEnv } from '../helpers/cli';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';

/** `missive report` as a person runs it against the local stack: outputs, files, mistakes. */
let stack: LocalStack;
let dir: string;

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(20) }));
  dir = await mkdtemp(join(tmpdir(), 'missive-report-'));
  await stack.ctx.counters.add(reportScopes.networkPosts('2026-03'), {
    [postCounter('editions', 'tokyo')]: 1,
    [postCounter('sent', 'tokyo')]: 200,
    [postCounter('delivered', 'tokyo')]: 190,
    [postCounter('uopens_h', 'tokyo')]: 57,
  });
  await stack.ctx.counters.add(scopes.postMonth('tokyo', '2026-03'), {
    sent: 200,
    delivered: 190,
    uopens_h: 57,
  });
}, 120_000);
afterAll(async () => stack?.stop());

describe('missive report', () => {
  it('writes a post report as CSV with a BOM, audited, and the network as a table', SPAWNING, async () => {
    const out = join(dir, 'tokyo.csv');
    const csv = await missive(
      [
        'report',
        'post',
        'tokyo',
        '--from',
        '2026-01',
        '--to',
        '2026-03',
        '--format',
        'csv',
        '--bom',
        '--out',
        out,
      ],
      stackEnv(stack),
    );
    expect(csv.stderr).toContain(`written to ${out}`);
    expect(csv.code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows: Record<string, string>[] = parse(text, { columns: true, bom: true });
    const openRate = rows.find((r) => r.table === 'summary' && r.column === 'value' && r.row === '10');
    // Row 10 of the summary is the human open rate: 57 / 190 = 0.3.
    expect(rows.find((r) => r.table === 'summary' && r.row === '10' && r.column === 'figure')?.value).toBe(
      'Open rate (human)',
    );
    expect(Number(openRate?.value)).toBeCloseTo(0.3, 10);
    const audit = await stack.ctx.audit.list('tokyo');
    expect(audit.items[0]).toMatchObject({ action: 'report.exported', target: { id: 'post:tokyo' } });

    const table = await missive(
      ['report', 'network', '--from', '2026-03', '--to', '2026-03'],
      stackEnv(stack),
    );
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^The network\nPeriod 2026-03-01 to 2026-03-31/);
    expect(table.stdout).toMatch(/Open rate \(human\)\s+30\.00 %/);
  });

  it('words the CSV, HTML and table in --lang (fr, nl), the figures as in English', SPAWNING, async () => {
    const csv = await missive(
      ['report', 'post', 'tokyo', '--from', '2026-01', '--to', '2026-03', '--format', 'csv', '--lang', 'fr'],
      stackEnv(stack),
    );
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('rapport,objet,tableau,ligne,colonne,libellé,valeur');
    const rows: Record<string, string>[] = parse(csv.stdout, { columns: true });
    const row10 = rows.filter((r) => r.tableau === 'summary' && r.ligne === '10');
    expect(row10.find((r) => r.colonne === 'figure')?.valeur).toBe('Taux d’ouverture (humain)');
    expect(Number(row10.find((r) => r.colonne === 'value')?.valeur)).toBeCloseTo(0.3, 10);

    const html = await missive(
      ['report', 'network', '--from', '2026-03', '--to', '2026-03', '--format', 'html', '--lang', 'nl'],
      stackEnv(stack),
    );
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<html lang="nl">');
    expect(html.stdout).toContain('<h1>Het netwerk</h1>');

    const table = await missive(
      ['report', 'network', '--from', '2026-03', '--to', '2026-03', '--lang', 'fr'],
      stackEnv(stack),
    );
    expect(table.stdout).toMatch(/^Le réseau\nPériode du 2026-03-01 au 2026-03-31/);
    expect(table.stdout).toMatch(/Taux d’ouverture \(humain\)\s+30,0\s%/);
  });

  it('says what is wrong in one line, exit 2', SPAWNING, async () => {
    const badFormat = await missive(['report', 'network', '--format', 'pdf'], stackEnv(stack));
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format.*must be one of table, json, csv, html/);
    const badLang = await missive(['report', 'network', '--format', 'csv', '--lang', 'de'], stackEnv(stack));
    expect(badLang.code).toBe(2);
    expect(badLang.stderr.trim().split('\n')).toHaveLength(1);
    expect(badLang.stderr).toMatch(/--lang.*must be one of en, fr, nl/);
    const backwards = await missive(
      ['report', 'network', '--from', '2026-05', '--to', '2026-01'],
      stackEnv(stack),
    );
    expect(backwards.code).toBe(2);
    expect(backwards.stderr.trim()).toBe('missive: from 2026-05-01 is after to 2026-01-31');
    const none = await missive(['report', 'edition', 'ed-nope'], stackEnv(stack));
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('missive: no edition "ed-nope"');
    const folder = await missive(
      ['report', 'network', '--out', join(dir, 'missing', 'n.html')],
      stackEnv(stack),
    );
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/^missive: --out .*n\.html: cannot write \(ENOENT\)\n$/);
  });
});
