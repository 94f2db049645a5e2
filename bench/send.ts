/**
 * npm run bench:send [-- --recipients 20000 --rate 200]
 *
 * End to end on the embedded stack: N recipients through dispatch → queue → workers
 * → an SES stand-in that enforces a maximum rate R and answers Throttling above it.
 * The SES stand-in here is the local gate in sink mode (rate and Throttling as SES,
 * messages not stored), so the figures are the pipeline's, not aws-ses-v2-local's.
 * Prints: achieved rate / R, Throttling answers after the first second, the
 * worker's CPU per recipient excluding the SES call (personalise, compose, MIME,
 * signed links: measured apart, on one core), and peak memory.
 */
import { parseArgs } from 'node:util';
import { mimeMailer } from '../functions/adapters/ses/mailer';
import { createEdition, scheduleEdition, submitEdition, variantRender } from '../functions/editions/service';
import { startLocalStack } from '../functions/local/stack';
import { addressee, prepareVariantMail } from '../functions/sending/message';
import { members } from '../tests/helpers/people';
import { smallSeeds } from '../tests/helpers/seeds';
import { stackOptions } from '../tests/helpers/stack';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '200' },
    workers: { type: 'string', default: '8' },
  },
});
const N = Number(values.recipients);
const R = Number(values.rate);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

const stack = await startLocalStack(
  stackOptions({
    seedsDir: await smallSeeds(5),
    sesRate: R,
    sesDailyQuota: 10_000_000,
    sesSink: true,
    workers: Number(values.workers),
    schedulerMs: 200,
  }),
);

const people = members(N, { post: 'casablanca', audience: 'economic', language: 'fr', prefix: 'bench' });
process.stderr.write(`loading ${N} subscribers...\n`);
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
// The worker's own path (sending/message.ts), with a transport that only takes the bytes.
const vm = await prepareVariantMail(
  mimeMailer(async () => 'bench'),
  post,
  edition,
  await variantRender(stack.ctx.editions, edition, 'economic', 'fr'),
  stack.ctx.editions.labels('fr'),
);
const links = { baseUrl: 'https://news.example.org', keys: stack.ctx.settings.signingKeys };
const cpuStart = process.cpuUsage();
const M = Math.min(N, 5000);
for (let i = 0; i < M; i++) {
  await vm.mail.send(
    addressee(vm, links, { id: `sub_${i}`, email: `bench${i}@example.org`, name: `Reader ${i}` }),
  );
}
const cpu = process.cpuUsage(cpuStart);
const cpuPerRecipient = (cpu.user + cpu.system) / M;

process.stderr.write(`sending to ${N} recipients at R = ${R}/s...\n`);
await scheduleEdition(stack.ctx.editions, actor, approved);
const t0 = Date.now();
let lastReport = 0;
for (;;) {
  const e = await stack.ctx.repos.editions.get(draft.id);
  if (e?.status === 'sent' && stack.idle()) break;
  if (Date.now() - lastReport > 10_000) {
    const p = await stack.ctx.sending.dispatch.progress.read(draft.id);
    process.stderr.write(`  ${p.sent}/${N} sent, ${stack.ses.stats.throttled} throttled\n`);
    lastReport = Date.now();
  }
  await new Promise((r) => setTimeout(r, 200));
}
const p = await stack.ctx.sending.dispatch.progress.read(draft.id);
// The rate over the sending itself: from the first accepted message to the last.
const seconds = (Date.now() - t0) / 1000;
clearInterval(sampler);
await stack.stop();

const achieved = p.sent / seconds;
console.log(`recipients: ${N}, sent: ${p.sent}, failed: ${p.failed}, skipped: ${p.skipped}`);
console.log(
  `achieved rate: ${achieved.toFixed(1)}/s over ${seconds.toFixed(1)} s (schedule to done) = ${(achieved / R).toFixed(3)} of R = ${R}/s (target >= 0.95)`,
);
console.log(
  `Throttling answers: ${stack.ses.stats.throttled} in all, ${stack.ses.stats.throttledAfterFirstSecond} after the first second (target 0)`,
);
console.log(
  `worker CPU per recipient, excluding the SES call and I/O: ${cpuPerRecipient.toFixed(0)} µs (personalise + compose + 2 signed tokens + MIME from the variant's template; target < 300 µs)`,
);
console.log(
  `peak memory (RSS, whole process incl. dynalite and the SES stand-in): ${(peakRss / 1024 / 1024).toFixed(0)} MiB`,
);
