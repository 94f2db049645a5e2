import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../functions/core/access';
import { scopes } from '../../functions/engagement/model';
import type { LocalStack } from '../../functions/local/stack';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/** Reports through the HTTP API: who sees what, each format, each answer in the audit trail. */
let stack: LocalStack;
let tokyoEdition: string;

beforeAll(async () => {
  stack = await startSeededStack(20);
  tokyoEdition = (await stack.ctx.repos.editions.listByPost('tokyo')).items[0]?.id ?? 'none';
  await stack.ctx.counters.add(scopes.edition(tokyoEdition), { sent: 100, delivered: 98, uopens_h: 49 });
});
afterAll(async () => stack?.stop());

const get = async (path: string, grants: Grant[]) =>
  fetch(`${stack.urls.api}${path}`, { headers: bearer(await tokenFor(stack, grants)) });

describe('reports over HTTP', () => {
  it("an analyst of a post reads that post's reports only; network reports need a network-wide role", async () => {
    const analyst: Grant[] = [{ role: 'analyst', post: 'tokyo' }];
    const edition = await get(`/posts/tokyo/reports/editions/${tokyoEdition}`, analyst);
    expect(edition.status).toBe(200);
    const body = (await edition.json()) as {
      kind: string;
      tables: { name: string; rows: { figure: string; value: number }[] }[];
    };
    expect(body.kind).toBe('edition');
    const summary = body.tables.find((t) => t.name === 'summary');
    expect(summary?.rows.find((r) => r.figure === 'Open rate (human)')?.value).toBeCloseTo(0.5, 10);
    expect((await get('/posts/berlin/reports', analyst)).status).toBe(404);
    // Tokyo's edition asked for through Berlin's path: as if it did not exist.
    expect((await get(`/posts/berlin/reports/editions/${tokyoEdition}`, [{ role: 'analyst' }])).status).toBe(
      404,
    );
    const network = await get('/reports/network', analyst);
    expect(network.status).toBe(403);
    expect(((await network.json()) as { error: { message: string } }).error.message).toBe(
      'network reports are for network analysts, headquarters and admins',
    );
    expect((await get('/reports/network', [{ role: 'analyst' }])).status).toBe(200);
    expect((await get('/reports/network', [{ role: 'hq-editor', post: 'hq' }])).status).toBe(200);
    // A post editor sees its edition reports, not the post's report.
    const editor: Grant[] = [{ role: 'post-editor', post: 'tokyo' }];
    expect((await get(`/posts/tokyo/reports/editions/${tokyoEdition}`, editor)).status).toBe(200);
    expect((await get('/posts/tokyo/reports', editor)).status).toBe(403);
  });

  it('answers HTML as a self-contained download under a strict policy, CSV with a BOM, and audits each', async () => {
    const html = await get('/reports/network?format=html&from=2026-01&to=2026-03', [
      { role: 'spokesperson' },
    ]);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.headers.get('content-disposition')).toBe(
      'attachment; filename="report-network-network.html"',
    );
    expect(await html.text()).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const csv = await get('/posts/tokyo/reports?format=csv&bom=1', [{ role: 'admin' }]);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(new Uint8Array(await csv.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const network = await stack.ctx.audit.list(undefined);
    expect(network.items[0]).toMatchObject({
      action: 'report.exported',
      target: { type: 'report', id: 'network:network' },
      detail: { format: 'html', from: '2026-01-01', to: '2026-03-31' },
    });
    expect((await stack.ctx.audit.list('tokyo')).items[0]).toMatchObject({
      action: 'report.exported',
      target: { id: 'post:tokyo' },
      detail: { format: 'csv' },
    });
  });

  it('words the CSV and HTML downloads in ?lang= (fr, nl), the figures the same as in English', async () => {
    const admin: Grant[] = [{ role: 'admin' }];
    const path = `/posts/tokyo/reports/editions/${tokyoEdition}?format=csv`;
    const en: Record<string, string>[] = parse(await (await get(path, admin)).text(), { columns: true });
    const fr = await get(`${path}&lang=fr`, admin);
    expect(fr.status).toBe(200);
    expect(fr.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows: Record<string, string>[] = parse(await fr.text(), { columns: true });
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'rapport',
      'objet',
      'tableau',
      'ligne',
      'colonne',
      'libellé',
      'valeur',
    ]);
    expect(rows).toHaveLength(en.length);
    const figure = rows.find((r) => r.tableau === 'summary' && r.colonne === 'figure' && r.ligne === '10');
    expect(figure).toMatchObject({ libellé: 'Indicateur', valeur: 'Taux d’ouverture (humain)' });
    const rate = rows.find((r) => r.tableau === 'summary' && r.colonne === 'value' && r.ligne === '10');
    expect(Number(rate?.valeur)).toBeCloseTo(0.5, 10);
    // Every number the same as the English file's, written the same way.
    rows.forEach((r, i) => {
      const e = en[i] ?? {};
      expect([r.tableau, r.ligne, r.colonne]).toEqual([e.table, e.row, e.column]);
      if (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(e.value ?? '')) expect(r.valeur).toBe(e.value);
    });

    const nl = await get('/reports/network?format=html&lang=nl&from=2026-01&to=2026-03', admin);
    expect(nl.status).toBe(200);
    const html = await nl.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('<title>Het netwerk</title>');
    expect(html).toContain('<caption>Posten gerangschikt op betrokkenheidsgraad</caption>');
    expect(html).toContain('Periode van 2026-01-01 tot 2026-03-31');
    // JSON stays the API's: ids and English, whatever the language asked.
    const json = (await (await get('/reports/network?lang=fr', admin)).json()) as { title: string };
    expect(json.title).toBe('The network');
  });

  it('refuses a bad format, language or date naming the parameter (400), and an unknown audience kind', async () => {
    const admin: Grant[] = [{ role: 'admin' }];
    const bad = await get('/reports/network?format=pdf', admin);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'format must be one of table, json, csv, html',
    );
    const lang = await get('/reports/network?format=csv&lang=de', admin);
    expect(lang.status).toBe(400);
    expect(((await lang.json()) as { error: { message: string } }).error.message).toBe(
      'lang must be one of en, fr, nl',
    );
    const date = await get('/reports/network?from=January', admin);
    expect(((await date.json()) as { error: { message: string } }).error.message).toBe(
      'from must be a date: YYYY-MM-DD or YYYY-MM',
    );
    const kind = await get('/reports/audiences/diplomatic', admin);
    expect(kind.status).toBe(400);
    expect(((await kind.json()) as { error: { message: string } }).error.message).toMatch(
      /^"diplomatic" is neither an audience kind \(economic, cultural, consular, custom\) nor a language/,
    );
    // A hostile value is quoted short, its control characters shown, not repeated whole.
    const long = await get(`/reports/audiences/${encodeURIComponent(`<b>\n${'x'.repeat(400)}`)}`, admin);
    expect(long.status).toBe(400);
    const message = ((await long.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/^"<b>\\nx+…" is neither an audience kind/);
    expect(message.length).toBeLessThan(250);
  });
});
