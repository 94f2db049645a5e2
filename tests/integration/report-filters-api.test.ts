import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../functions/core/access';
import type { LocalStack } from '../../functions/local/stack';
import type { Report } from '../../functions/reports/report';
import { bearer, startSeededStack, tokenFor } from '../helpers/stack';

/** ?post=&region=&audience=&language= on the reports: the answer, its downloads and the audit trail. */
let stack: LocalStack;
let asia: Set<string>;

beforeAll(async () => {
  stack = await startSeededStack(5);
  asia = new Set(
    (await stack.ctx.repos.posts.list()).filter((p) => p.continent === 'asia').map((p) => p.code),
  );
});
afterAll(async () => stack?.stop());

const analyst: Grant[] = [{ role: 'analyst' }];
const get = async (path: string) =>
  fetch(`${stack.urls.api}${path}`, { headers: bearer(await tokenFor(stack, analyst)) });

describe('report filters over HTTP', () => {
  it("narrows the network report to one region's posts, in JSON and CSV, and audits the filter", async () => {
    const all = (await (await get('/reports/network')).json()) as Report;
    const everyPost = all.tables.find((t) => t.name === 'posts')?.rows ?? [];
    expect(everyPost.some((r) => !asia.has(String(r.post)))).toBe(true);
    const report = (await (await get('/reports/network?region=asia')).json()) as Report;
    const posts = report.tables.find((t) => t.name === 'posts')?.rows ?? [];
    expect(posts.length).toBe(everyPost.filter((r) => asia.has(String(r.post))).length);
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.region === 'asia')).toBe(true);
    const csv = await (await get('/reports/network?region=asia&format=csv')).text();
    const codes = (parse(csv, { relax_column_count: true }) as string[][]).flat();
    for (const r of everyPost) expect(codes.includes(String(r.post))).toBe(asia.has(String(r.post)));
    expect((await stack.ctx.audit.list(undefined)).items[0]).toMatchObject({
      action: 'report.exported',
      detail: { format: 'csv', region: 'asia' },
    });
  });

  it('refuses a bad filter naming the parameter (400)', async () => {
    const res = await get('/reports/network?region=mars');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'region must be one of africa, americas, asia, europe, oceania',
    );
  });
});
