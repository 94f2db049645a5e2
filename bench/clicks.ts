/**
 * bench:clicks — the click redirect under load, recording included. The local stack
 * runs in its own process (as `npm start` does); this process only sends requests:
 * GET /r/<token>/<n> for many readers of one edition, at concurrency 20 over kept-alive
 * connections. Prints requests per second, p50 and p99, then waits for the engagement
 * queue to drain and checks that the edition's click counter equals the requests made.
 *
 *   npm run bench:clicks [-- --requests 10000 --concurrency 20 --readers 500]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildContext } from '../functions/app';
import { loadSettings } from '../functions/config/settings';
import { silentLogger } from '../functions/core/log';
import { recipientLinks } from '../functions/core/recipient-links';
import { variantRender } from '../functions/editions/service';
import { scopes } from '../functions/engagement/model';
import { findStack, stackVariables } from '../functions/local/stack-record';
import { startStackProcess } from '../tests/helpers/stack-process';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '20' },
    readers: { type: 'string', default: '500' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const READERS = Number(values.readers);

const dataDir = await mkdtemp(join(tmpdir(), 'missive-bench-clicks-'));
process.stderr.write('starting the local stack in its own process...\n');
const stack = await startStackProcess(dataDir);
try {
  const found = findStack([dataDir]);
  if (!found) throw new Error('the stack left no record of itself');
  const ctx = buildContext(loadSettings({ ...process.env, ...stackVariables(found.record, process.env) }), {
    log: silentLogger,
  });
  const edition = (await ctx.repos.editions.listByPost('tokyo')).items[0];
  const full = edition ? await ctx.repos.editions.get(edition.id) : undefined;
  const variant = full?.variants[0];
  if (!full || !variant) throw new Error('no seeded Tokyo edition');
  const render = await variantRender(ctx.editions, full, variant.audience, variant.language);
  const links = Array.from(
    { length: READERS },
    (_, i) =>
      recipientLinks(stack.urls.api, ctx.settings.signingKeys, {
        subscriberId: `sub_bench_click_${i}`,
        editionId: full.id,
        post: full.post,
        audience: variant.audience,
        language: variant.language,
      }).click,
  );
  const url = (i: number) => new URL(`${links[i % READERS]}${i % render.links.length}`);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const headers = {
    'user-agent':
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  };
  const get = (u: URL) =>
    new Promise<number>((resolve, reject) => {
      const req = request(u, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });

  // Warm-up: the links item read once per variant, connections open (not counted in the figures).
  const before = (await ctx.counters.read(scopes.edition(full.id))).counts.clicks ?? 0;
  const warm = 50;
  for (let i = 0; i < warm; i++) await get(url(i));

  process.stderr.write(
    `${REQUESTS} clicks at concurrency ${CONCURRENCY} over ${READERS} readers and ${render.links.length} links...\n`,
  );
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t = performance.now();
        const status = await get(url(warm + i));
        latencies.push(performance.now() - t);
        if (status !== 302) failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;

  // The counters, once the engagement queue has drained.
  const expected = before + warm + REQUESTS;
  let clicks = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    clicks = (await ctx.counters.read(scopes.edition(full.id))).counts.clicks ?? 0;
    if (clicks >= expected) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`bench:clicks — ${REQUESTS} requests, concurrency ${CONCURRENCY}, stack in its own process`);
  console.log(`  requests per second: ${(REQUESTS / seconds).toFixed(0)}   (target >= 1000)`);
  console.log(`  p50: ${q(0.5).toFixed(1)} ms   p99: ${q(0.99).toFixed(1)} ms   (target p99 < 50 ms)`);
  console.log(`  answers other than 302: ${failed}`);
  console.log(
    `  clicks counted: ${clicks - before} of ${warm + REQUESTS} made (${clicks - before === warm + REQUESTS ? 'equal' : 'DIFFERENT'})`,
  );
  agent.destroy();
  process.exitCode = failed === 0 && clicks - before === warm + REQUESTS ? 0 : 1;
} finally {
  stack.child.kill('SIGTERM');
  await new Promise((r) => stack.child.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
}
