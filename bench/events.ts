/**
 * bench:events — 100,000 mixed engagement events (SES Send/Delivery/Bounce/Complaint as
 * SES writes them, opens with 30% machine, clicks, and redeliveries of 5% of them)
 * recorded through the same function as the Lambda on the engagement queue
 * (recordEngagementBatch), in batches of 100, four batches at a time, into the local
 * DynamoDB (dynalite). Prints events per second and DynamoDB write requests per event,
 * and checks every counter against the count computed here from the generated events.
 *
 *   npm run bench:events [-- --events 100000 --recipients 10000 --concurrency 4]
 */
import { parseArgs } from 'node:util';
import type { EngagementEvent } from '../functions/engagement/model';
import { linkCounter, scopes } from '../functions/engagement/model';
import { recordEngagementBatch } from '../functions/engagement/ses-events';
import { startLocalStack } from '../functions/local/stack';
import { smallSeeds } from '../tests/helpers/seeds';
import { stackOptions } from '../tests/helpers/stack';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    recipients: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '4' },
  },
});
const TOTAL = Number(values.events);
const RECIPIENTS = Number(values.recipients);
const CONCURRENCY = Number(values.concurrency);
const LINKS = 8;

// A small deterministic generator: the same run every time.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;

const post = 'casablanca';
const edition = 'ed_bench_events';
const sendAt = Date.parse('2026-11-02T09:00:00Z');
const at = (maxHours: number) => new Date(sendAt + Math.floor(random() * maxHours * 3_600_000)).toISOString();
const person = (i: number) => `sub_bev${String(i).padStart(6, '0')}`;
const variantOf = (i: number) =>
  i % 2 === 0 ? { audience: 'economic', language: 'fr' } : { audience: 'economic', language: 'en' };

// ---- generation, with the expected counters computed alongside ----
type Expected = Record<string, number>;
const expected: Expected = {};
const add = (name: string, n = 1) => {
  expected[name] = (expected[name] ?? 0) + n;
};
/** Counts `name` the first time `key` is seen in `seen` (a unique). */
const once = (seen: Set<string>, key: string, name: string) => {
  if (seen.has(key)) return;
  seen.add(key);
  add(name);
};
const opened = new Set<string>();
const openedH = new Set<string>();
const clicked = new Set<string>();
const clickedH = new Set<string>();
const linkClicked = new Set<string>();

const bodies: unknown[] = [];
const mail = (i: number) => ({
  timestamp: new Date(sendAt).toISOString(),
  messageId: `m-${i}`,
  destination: [`bev${i}@example.org`],
  tags: {
    edition: [edition],
    recipient: [person(i)],
    post: [post],
    audience: [variantOf(i).audience],
    language: [variantOf(i).language],
  },
});
// SES: every recipient sent; 97% delivered, 2% hard bounce, 0.9% soft, 0.1% complaint after delivery.
for (let i = 0; i < RECIPIENTS; i++) {
  bodies.push({ eventType: 'Send', mail: mail(i), send: {} });
  add('sent');
  const r = random();
  if (r < 0.02) {
    bodies.push({
      eventType: 'Bounce',
      mail: mail(i),
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: `bev${i}@example.org` }],
        timestamp: at(1),
      },
    });
    add('bounced_hard');
    continue;
  }
  if (r < 0.029) {
    bodies.push({
      eventType: 'Bounce',
      mail: mail(i),
      bounce: {
        bounceType: 'Transient',
        bounceSubType: 'MailboxFull',
        bouncedRecipients: [{ emailAddress: `bev${i}@example.org` }],
        timestamp: at(1),
      },
    });
    add('bounced_soft');
    continue;
  }
  bodies.push({
    eventType: 'Delivery',
    mail: mail(i),
    delivery: { timestamp: at(1), recipients: [`bev${i}@example.org`] },
  });
  add('delivered');
  if (r > 0.999) {
    bodies.push({
      eventType: 'Complaint',
      mail: mail(i),
      complaint: {
        complainedRecipients: [{ emailAddress: `bev${i}@example.org` }],
        complaintFeedbackType: 'abuse',
        timestamp: at(48),
      },
    });
    add('complained');
  }
}
const sesCount = bodies.length;
// Opens and clicks fill the rest, 95% of the total before redeliveries.
const fresh = Math.floor(TOTAL / 1.05);
let n = 0;
const readers = Array.from({ length: Math.floor(RECIPIENTS * 0.6) }, (_, i) => i);
const MACHINE = { class: 'machine', rule: 'apple-mpp', device: 'proxy' } as const;
const PROXY = { class: 'proxy', rule: 'gmail-proxy', device: 'webmail' } as const;
const HUMAN = { class: 'human', rule: 'default', device: 'mobile' } as const;
/** Each reader clicks at most two distinct links, hours apart: no scanner burst by chance. */
const linksOf = new Map<number, number[]>();
while (bodies.length < fresh) {
  const i = pick(readers);
  const v = variantOf(i);
  const base = { editionId: edition, subscriberId: person(i), post, ...v };
  const id = `e${n++}`;
  if (random() < 0.72) {
    const r = random();
    const classification = r < 0.3 ? MACHINE : r < 0.4 ? PROXY : HUMAN;
    const event: EngagementEvent = { kind: 'open', id, at: at(24 * 7), ...base, classification };
    bodies.push(event);
    add('opens');
    add(classification.class === 'machine' ? 'opens_machine' : 'opens_h');
    if (classification.class === 'proxy') add('opens_proxy');
    once(opened, base.subscriberId, 'uopens');
    if (classification.class !== 'machine') once(openedH, base.subscriberId, 'uopens_h');
  } else {
    const own = linksOf.get(i) ?? [Math.floor(random() * LINKS), Math.floor(random() * LINKS)];
    linksOf.set(i, own);
    const link = pick(own);
    const machine = random() < 0.05;
    const classification = machine
      ? ({ class: 'machine', rule: 'head-request', device: 'bot' } as const)
      : HUMAN;
    // Clicks of one reader are spread over the week: hours apart.
    const event: EngagementEvent = {
      kind: 'click',
      id,
      at: at(24 * 7),
      ...base,
      link,
      linkCount: LINKS,
      classification,
    };
    bodies.push(event);
    add('clicks');
    add(machine ? 'clicks_machine' : 'clicks_h');
    add(linkCounter(link, false));
    once(clicked, base.subscriberId, 'uclicks');
    if (!machine) once(clickedH, base.subscriberId, 'uclicks_h');
    const key = `${base.subscriberId}#${link}`;
    once(linkClicked, key, linkCounter(link, true));
  }
}
// Redeliveries: 5% of the events again, later (SNS/SQS at-least-once).
const redelivered = Array.from({ length: TOTAL - bodies.length }, () => pick(bodies));
for (let i = bodies.length - 1; i > sesCount; i--) {
  const j = sesCount + Math.floor(random() * (i - sesCount));
  [bodies[i], bodies[j]] = [bodies[j], bodies[i]];
}
const all = [...bodies, ...redelivered];

// ---- run ----
const stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(0) }));
const writes = { raw: 0, other: 0, reads: 0 };
let countingPhase: 'ses' | 'tracking' = 'ses';
const phases = { ses: { raw: 0, other: 0, events: 0 }, tracking: { raw: 0, other: 0, events: 0 } };
stack.ctx.dynamo.raw.middlewareStack.add(
  (next, context) => async (args) => {
    const name = context.commandName ?? '';
    const input = args.input as { ConditionExpression?: string; TableName?: string };
    // The raw record: a conditional Put (SES events) or the conditional update of the person's
    // mark that holds an open or click (refused for an id seen before).
    const events = input.TableName === stack.ctx.settings.tables.events;
    const isRaw =
      events &&
      ((name === 'PutItemCommand' && input.ConditionExpression === 'attribute_not_exists(pk)') ||
        (name === 'UpdateItemCommand' && input.ConditionExpression === 'NOT contains(#ids, :idv)'));
    if (/Put|Update|Delete|BatchWrite/.test(name)) {
      if (isRaw) phases[countingPhase].raw++;
      else phases[countingPhase].other++;
    } else writes.reads++;
    return next(args);
  },
  { step: 'initialize', name: 'benchCounter' },
);

const run = async (events: readonly unknown[]) => {
  const batches: unknown[][] = [];
  for (let i = 0; i < events.length; i += 100) batches.push(events.slice(i, i + 100) as unknown[]);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < batches.length) {
      const b = batches[next++] as unknown[];
      await recordEngagementBatch(stack.ctx.engagement, b);
      done += b.length;
      if (process.stderr.isTTY) process.stderr.write(`\r${done} / ${events.length} events`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (process.stderr.isTTY) process.stderr.write('\n');
};

const sesPart = all.filter((b) => typeof b === 'object' && b !== null && 'eventType' in b);
const trackingPart = all.filter((b) => !(typeof b === 'object' && b !== null && 'eventType' in b));
process.stderr.write(
  `recording ${all.length} events (${sesPart.length} SES, ${trackingPart.length} opens and clicks, ${redelivered.length} redeliveries among them)\n`,
);
const started = performance.now();
countingPhase = 'ses';
phases.ses.events = sesPart.length;
await run(sesPart);
const sesDone = performance.now();
countingPhase = 'tracking';
phases.tracking.events = trackingPart.length;
await run(trackingPart);
const seconds = (performance.now() - started) / 1000;

const read = (await stack.ctx.counters.read(scopes.edition(edition))).counts;
// The hour-by-hour counters (`opens@<hour>`) share the edition's scope: each name's
// hours must add up to its total.
const got: Record<string, number> = {};
const hourly: Record<string, number> = {};
for (const [k, v] of Object.entries(read)) {
  const at = k.indexOf('@');
  if (at < 0) got[k] = v;
  else hourly[k.slice(0, at)] = (hourly[k.slice(0, at)] ?? 0) + v;
}
const mismatches = [
  ...Object.entries(expected).filter(([k, v]) => got[k] !== v),
  ...Object.entries(hourly).filter(([k, v]) => expected[k] !== v),
];
const extra = Object.keys(got).filter((k) => !(k in expected) && got[k] !== 0);

const per = (x: number, events: number) => (x / events).toFixed(3);
console.log(
  `bench:events — ${all.length} events (${redelivered.length} redelivered), ${RECIPIENTS} recipients, ${CONCURRENCY} batches of 100 at a time`,
);
console.log(`  events per second (all):                  ${(all.length / seconds).toFixed(0)}`);
console.log(
  `  events per second (SES part):             ${(sesPart.length / ((sesDone - started) / 1000)).toFixed(0)}`,
);
console.log('  DynamoDB write requests per event:');
console.log(
  `    opens and clicks, excluding raw record: ${per(phases.tracking.other, phases.tracking.events)}   (target <= 0.2)`,
);
console.log(
  `    opens and clicks, including raw record: ${per(phases.tracking.other + phases.tracking.raw, phases.tracking.events)}   (target <= 1.2)`,
);
console.log(
  `    SES events, including raw record:       ${per(phases.ses.other + phases.ses.raw, phases.ses.events)}`,
);
console.log(`  read requests per event:                  ${per(writes.reads, all.length)}`);
console.log(
  `  counters checked: ${Object.keys(expected).length} (and ${Object.keys(hourly).length} hour-by-hour sums), mismatches: ${mismatches.length}, unexpected: ${extra.length}`,
);
for (const [k, v] of mismatches) console.log(`    ${k}: expected ${v}, recorded ${got[k] ?? 0}`);
for (const k of extra) console.log(`    ${k}: recorded ${got[k]} but expected none`);
await stack.stop();
process.exit(mismatches.length + extra.length === 0 ? 0 : 1);
