/**
 * npm run bench:send [-- --rates 50,100,200,400 --seconds 30 --recipients 20000]
 *
 * End to end, for each rate R (the last run with --recipients, the others R x seconds):
 * dynalite in its own process (as DynamoDB is its own service), and in this process N recipients through dispatch → queue → workers
 * → an SES stand-in that enforces a maximum rate R and answers Throttling above it.
 * The SES stand-in here is the local gate in sink mode (rate and Throttling as SES,
 * messages not stored), so the figures are the pipeline's, not aws-ses-v2-local's.
 * Prints: achieved rate / R, Throttling answers after the first second, the
 * worker's CPU per recipient excluding the SES call (personalise, compose, MIME,
 * signed links: measured apart, on one core), and peak memory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mimeMailer } from '../functions/adapters/ses/mailer';
import { createEdition, scheduleEdition, submitEdition, variantRender } from '../functions/editions/service';
import { startLocalStack } from '../functions/local/stack';
import { addressee, prepareVariantMail } from '../functions/sending/message';
import { members } from '../tests/helpers/people';
import { smallSeeds } from '../tests/helpers/seeds';
import { stackOptions } from '../tests/helpers/stack';
import { freePort } from '../tests/helpers/stack-process';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '50,100,200,400' },
    /** Recipients per rate: R x seconds (at least 500), so each run sends for about this long. */
    seconds: { type: 'string', default: '30' },
    /** The last run's recipients (memory at scale). */
    recipients: { type: 'string', default: '20000' },
    workers: { type: 'string', default: '8' },
    'ses-events': { type: 'boolean', default: false },
  },
});
const RATES = values.rates.split(',').map(Number);
const SECONDS = Number(values.seconds);

/** dynalite in its own process, as DynamoDB is its own service on AWS; its peak RSS read from /proc. */
async function startDynamoProcess(): Promise<{ url: string; child: ChildProcess; peakRss: () => number }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import dynalite from 'dynalite'; dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }).listen(${port}, '127.0.0.1', () => console.log('ready'));`,
    ],
    { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`dynalite exited (${code})`)));
  });
  const peakRss = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return hwm ? Number(hwm[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  return { url: `http://127.0.0.1:${port}`, child, peakRss };
}

interface Run {
  readonly rate: number;
  readonly recipients: number;
  /** Sent / (schedule to done) / R: the whole edition, scheduling and the last batch included. */
  readonly achieved: number;
  /** Sent / (first to last message accepted) / R: the sending rate itself. */
  readonly sending: number;
  readonly throttledAfterFirst: number;
  readonly reads: number;
  readonly writes: number;
  /** SES Send/Delivery events recorded (ledger, raw events, counters): the engagement function's. */
  readonly engagementWrites: number;
  readonly cpuUs: number;
  readonly pipelineMiB: number;
  /** Peak heap after a full GC: what the pipeline holds (0 without --expose-gc). */
  readonly liveMiB: number;
  readonly dynamoMiB: number;
  readonly failed: number;
}

async function run(R: number, N: number): Promise<Run> {
  const dynamo = await startDynamoProcess();
  global.gc?.();
  // The pipeline's peak from here: this process holds the workers, queues and the SES stand-in.
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  // What is held, as opposed to garbage not yet collected: the heap after a full GC, every
  // 5 s (npm run bench:send runs node with --expose-gc).
  let peakLive = 0;
  const liveSampler = setInterval(() => {
    if (!global.gc) return;
    global.gc();
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  }, 5000);
  const stack = await startLocalStack(
    stackOptions({
      seedsDir: await smallSeeds(5),
      dynamodbEndpoint: dynamo.url,
      // SES events are recorded by another function on AWS, against DynamoDB's capacity,
      // not this machine's one dynalite: --ses-events puts that work back in.
      sesEvents: values['ses-events'],
      sesRate: R,
      sesDailyQuota: 10_000_000,
      sesSink: true,
      workers: Number(values.workers),
      schedulerMs: 200,
    }),
  );
  try {
    const people = members(N, { post: 'casablanca', audience: 'economic', language: 'fr', prefix: `b${R}x` });
    await stack.ctx.repos.subscribers.importMany(people);

    const actor = { id: 'bench', roles: ['post-editor'] };
    const text = 'Le port d’Anvers-Bruges investit dans l’hydrogène vert et le captage de CO2. '.repeat(4);
    const draft = await createEdition(stack.ctx.editions, actor, 'casablanca', {
      title: 'Bench',
      sensitive: false,
      variants: [
        {
          audience: 'economic',
          language: 'fr',
          subject: 'Focus on Belgium – bench',
          preheader: 'Nouvelles de Belgique',
          intro: 'Bonjour à toutes et à tous.',
          blocks: Array.from({ length: 10 }, (_, i) => ({
            type: 'local' as const,
            title: `Article ${i + 1}`,
            text,
          })),
        },
      ],
    });
    const approved = await submitEdition(stack.ctx.editions, actor, draft);

    // Worker CPU per recipient, apart from I/O: what the worker computes for each message.
    const edition = (await stack.ctx.repos.editions.get(draft.id)) ?? approved;
    const post = await stack.ctx.repos.posts.get('casablanca');
    if (!post) throw new Error('no post');
    const vm = await prepareVariantMail(
      mimeMailer(async () => 'bench'),
      post,
      edition,
      await variantRender(stack.ctx.editions, edition, 'economic', 'fr'),
      stack.ctx.editions.labels('fr'),
    );
    const links = { baseUrl: 'https://news.example.org', keys: stack.ctx.settings.signingKeys };
    const cpuStart = process.cpuUsage();
    const M = Math.min(N, 2000);
    for (let i = 0; i < M; i++) {
      await vm.mail.send(
        addressee(vm, links, { id: `sub_${i}`, email: `bench${i}@example.org`, name: `Reader ${i}` }),
      );
    }
    const cpu = process.cpuUsage(cpuStart);

    // DynamoDB requests from the send on: reads and writes apart.
    const requests = { reads: 0, writes: 0, engagementWrites: 0 };
    let counting = false;
    stack.ctx.dynamo.raw.middlewareStack.add(
      (next, context) => async (args) => {
        if (counting) {
          // SES events (ledger, raw records, engagement counters) are recorded by another
          // function on AWS: counted apart from the send pipeline's own requests.
          const input = args.input as { TableName?: string; Key?: { pk?: unknown } };
          const tables = stack.ctx.settings.tables;
          const engagement =
            input.TableName === tables.events ||
            (input.TableName === tables.stats && String(input.Key?.pk ?? '').startsWith('ENG#'));
          const write = /Put|Update|Delete|BatchWrite/.test(context.commandName ?? '');
          if (engagement) requests.engagementWrites += write ? 1 : 0;
          else if (write) requests.writes++;
          else requests.reads++;
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchRequests' },
    );
    process.stderr.write(`R = ${R}/s: sending to ${N} recipients...\n`);
    counting = true;
    await scheduleEdition(stack.ctx.editions, actor, approved);
    const t0 = Date.now();
    for (;;) {
      const e = await stack.ctx.repos.editions.get(draft.id);
      if (e?.status === 'sent' && stack.idle()) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - t0) / 1000;
    counting = false;
    const p = await stack.ctx.sending.dispatch.progress.read(draft.id);
    return {
      rate: R,
      recipients: N,
      achieved: p.sent / seconds / R,
      // The sending itself: from the first message SES accepted to the last.
      sending:
        p.sent /
        Math.max(
          0.001,
          ((stack.ses.stats.lastAcceptedAt ?? 0) - (stack.ses.stats.firstAcceptedAt ?? 0)) / 1000,
        ) /
        R,
      throttledAfterFirst: stack.ses.stats.throttledAfterFirstSecond,
      // The polling loop above reads the edition: not the pipeline's, left out.
      reads: requests.reads / N,
      writes: requests.writes / N,
      engagementWrites: requests.engagementWrites / N,
      cpuUs: (cpu.user + cpu.system) / M,
      pipelineMiB: peakRss / 1024 / 1024,
      liveMiB: peakLive / 1024 / 1024,
      dynamoMiB: dynamo.peakRss() / 1024 / 1024,
      failed: p.failed,
    };
  } finally {
    clearInterval(sampler);
    clearInterval(liveSampler);
    await stack.stop();
    dynamo.child.kill();
  }
}

const results: Run[] = [];
for (const [i, R] of RATES.entries()) {
  const last = i === RATES.length - 1;
  const N = last ? Number(values.recipients) : Math.max(500, R * SECONDS);
  results.push(await run(R, N));
}
console.log(
  'bench:send — dynalite in its own process; SES stand-in (rate R, Throttling above) in sink mode; workers in this process',
);
console.log(
  '     R  recipients  achieved/R  (sending)  throttled>1s  reads/rcpt  writes/rcpt  (SES events)  CPU µs/rcpt  pipeline MiB  (live heap)  dynalite MiB',
);
for (const r of results) {
  console.log(
    `${String(r.rate).padStart(6)}  ${String(r.recipients).padStart(10)}  ${r.achieved.toFixed(3).padStart(10)}  ${r.sending.toFixed(3).padStart(9)}  ${String(r.throttledAfterFirst).padStart(12)}  ${r.reads.toFixed(2).padStart(10)}  ${r.writes.toFixed(2).padStart(11)}  ${r.engagementWrites.toFixed(2).padStart(12)}  ${r.cpuUs.toFixed(0).padStart(11)}  ${r.pipelineMiB.toFixed(0).padStart(12)}  ${r.liveMiB.toFixed(0).padStart(11)}  ${r.dynamoMiB.toFixed(0).padStart(12)}`,
  );
}
console.log(
  'targets: achieved/R >= 0.95 at R = 200; writes/recipient <= 2.1; pipeline < 300 MiB at 20,000 recipients',
);
