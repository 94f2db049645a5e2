/**
 * npm run bench:import [-- --rows 200000] [--dry-run] [--memory]
 *
 * Imports a generated Mailchimp-layout export (subscribed file, current columns with
 * merge fields and TAGS) into the local stack through the same code as `missive
 * subscribers import`. The stack runs in its own process, as `npm start` does (the
 * store is not the importer's memory); this process is the importer, as the CLI is.
 * Prints rows per second, the importer's peak RSS, and its RSS at each quarter of the
 * file, to show memory staying flat as rows grow. `--in-process` runs the stack here
 * instead (then dynalite's store counts in the RSS).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importFilesFromPath } from '../functions/adapters/import-files';
import { type AppContext, buildContext } from '../functions/app';
import { loadSettings } from '../functions/config/settings';
import { silentLogger } from '../functions/core/log';
import { importSubscribers } from '../functions/subscribers/import/import';
import { MAILCHIMP_HEADERS, mailchimpRow } from '../tests/helpers/mailchimp';
import { startStackProcess } from '../tests/helpers/stack-process';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    memory: { type: 'boolean', default: false },
    'in-process': { type: 'boolean', default: false },
    // Reads and checks every row against the store but writes nothing: the import's own memory, the store's kept apart.
    'dry-run': { type: 'boolean', default: false },
  },
});
const N = Number(values.rows);
const MiB = 1024 * 1024;

/**
 * RSS counts the pages of files LevelDB maps into memory (dynalite's tables on disk):
 * clean page cache the kernel takes back at will. Linux says apart the anonymous part
 * (the heap and native allocations), which is the memory the process really holds.
 */
function rssParts(): { anon: number; file: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { anon: kb('RssAnon'), file: kb('RssFile') };
  } catch {
    return { anon: Number.NaN, file: Number.NaN };
  }
}

let peakRss = 0;
let peakAnon = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  peakAnon = Math.max(peakAnon, rssParts().anon);
}, 50);

const dir = await mkdtemp(join(tmpdir(), 'missive-bench-import-'));
const file = join(dir, 'subscribed_email_audience_export_bench.csv');
process.stderr.write(`writing ${N} rows to ${file}...\n`);
const out = createWriteStream(file);
out.write(`${MAILCHIMP_HEADERS.subscribed}\r\n`);
for (let i = 0; i < N; i++) {
  if (!out.write(`${mailchimpRow('subscribed', `bench.person.${i}@example.org`, `Person${i}`, 'Bench')}\r\n`))
    await once(out, 'drain');
}
out.end();
await once(out, 'close');

async function startInProcess() {
  const [{ startLocalStack }, { smallSeeds }, { stackOptions }] = await Promise.all([
    import('../functions/local/stack'),
    import('../tests/helpers/seeds'),
    import('../tests/helpers/stack'),
  ]);
  return startLocalStack(
    stackOptions({ seedsDir: await smallSeeds(5), memory: values.memory, dataDir: join(dir, 'data') }),
  );
}

/** The stack in its own process (seeded), and a context for this process, the importer. */
async function stackProcess(dataDir: string): Promise<{ child: ChildProcess; ctx: AppContext }> {
  const { child, urls } = await startStackProcess(dataDir, values.memory ? ['--memory'] : []);
  const ctx = buildContext(
    loadSettings({
      MISSIVE_DYNAMODB_ENDPOINT: urls.dynamodb,
      MISSIVE_SES_ENDPOINT: urls.ses,
      MISSIVE_PUBLIC_BASE_URL: urls.api,
    }),
    { log: silentLogger },
  );
  return { child, ctx };
}

process.stderr.write(
  values['in-process']
    ? 'starting the stack in this process...\n'
    : 'starting the stack in its own process...\n',
);
// The stack's code (dynalite, the SES server, the local queues) is loaded only to run it here:
// the importer, like the CLI reaching a running stack, has no use for it.
const inProcess = values['in-process'] ? await startInProcess() : undefined;
const separate = inProcess ? undefined : await stackProcess(join(dir, 'data'));
const stack = { ctx: (inProcess?.ctx ?? separate?.ctx) as AppContext };
const baseline = Math.round(process.memoryUsage().rss / MiB);
const post = await stack.ctx.repos.posts.get('casablanca');
if (!post) throw new Error('no casablanca post in the seeds');
const files = await importFilesFromPath(file);
const quarters: string[] = [];
let nextQuarter = 1;
const started = performance.now();
const report = await importSubscribers(
  {
    subscribers: stack.ctx.repos.subscribers,
    suppressions: stack.ctx.repos.suppressions,
    personKey: stack.ctx.settings.signingKeys[0]?.secret ?? '',
  },
  {
    post,
    audience: 'economic',
    format: 'auto',
    map: new Map(),
    dryRun: values['dry-run'],
    now: new Date().toISOString(),
    onProgress: (rows) => {
      if (rows >= (N * nextQuarter) / 4) {
        const m = process.memoryUsage();
        quarters.push(
          `${nextQuarter * 25}%: ${Math.round(m.rss / MiB)} MiB (anonymous ${Math.round(rssParts().anon / MiB)}, heap ${Math.round(m.heapUsed / MiB)})`,
        );
        nextQuarter++;
      }
    },
  },
  files.sources,
);
const seconds = (performance.now() - started) / 1000;
files.close();
clearInterval(sampler);
await inProcess?.stop();
if (separate) {
  separate.child.kill('SIGTERM');
  await once(separate.child, 'exit');
}
await rm(dir, { recursive: true, force: true });

process.stdout.write(
  `${[
    `rows: ${report.rows} (imported ${report.imported}, invalid ${report.invalid.count}, malformed ${report.malformed.count})`,
    `time: ${seconds.toFixed(1)} s, ${Math.round(report.rows / seconds)} rows/s (target >= 2000)`,
    `stack: ${inProcess ? 'in this process (its store counts below)' : 'in its own process (as npm start); the figures below are the importer'}`,
    `peak RSS: ${Math.round(peakRss / MiB)} MiB, of which anonymous (heap and native, not mapped files) at most ${Math.round(peakAnon / MiB)} MiB (target < 300)`,
    `RSS as rows grow: before ${baseline} MiB, ${quarters.join(', ')}`,
  ].join('\n')}\n`,
);
