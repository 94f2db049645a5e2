/**
 * Optional check (not part of the test suite, which must not need ../shared): the real
 * SNS envelopes of the SES events corpus verify, or are refused, as its README.txt says,
 * with the clock fixed inside the (expired) certificate's validity; each SES event file
 * reads as one event of a known kind.
 *
 *   npm run check:ses-corpus              (default folder ../shared/corpora/ses-events)
 *   npx tsx scripts/check-ses-corpus.ts DIR
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../functions/core/ports';
import { parseEventFile } from '../functions/engagement/event-file';
import { interpretSesEvent } from '../functions/engagement/interpret';
import { SnsMessageRefused, verifySnsMessage } from '../functions/engagement/sns-verify';

const dir = process.argv[2] ?? '../shared/corpora/ses-events';
const CERT_URL =
  'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem';
/** The README: these verify; the relay fixture was edited after signing, so it must not. */
const MUST_VERIFY = new Set(['sns-envelope.json', 'sns-envelope-bounce-notificationtype.json']);
const MUST_FAIL = new Set(['sns-envelope-relay-hard-bounce.json']);
/** Inside the certificate's validity (2021-09-07 .. 2022-08-17). */
const FIXED = { now: () => new Date('2022-04-02T00:00:00Z') };

const pem = readFileSync(join(dir, 'sns-signing-cert-us-east-1.pem'), 'utf8');
// Offline: the corpus's certificate stands for the one AWS served at that URL; nothing else is fetched.
const fetch = async (url: string) => {
  if (url !== CERT_URL) throw new Error(`not in the corpus: ${url}`);
  return pem;
};

const outcome = async (body: string, topicArn: string, clock: { now(): Date }) => {
  try {
    await verifySnsMessage({ topicArn, fetch, clock, certificates: new Map() }, body);
    return 'verified';
  } catch (error) {
    if (error instanceof SnsMessageRefused)
      return `refused (${error.message.replace('SNS message refused: ', '')})`;
    throw error;
  }
};

let wrong = 0;
for (const file of readdirSync(dir).sort()) {
  if (!file.endsWith('.json')) continue;
  const body = readFileSync(join(dir, file), 'utf8');
  if (file.startsWith('sns-envelope')) {
    const topic = String((JSON.parse(body) as { TopicArn?: unknown }).TopicArn);
    const fixed = await outcome(body, topic, FIXED);
    const now = await outcome(body, topic, systemClock);
    const want = MUST_VERIFY.has(file) ? 'verified' : MUST_FAIL.has(file) ? 'refused' : undefined;
    const ok = want === undefined || fixed.startsWith(want);
    if (!ok) wrong++;
    console.log(
      `${ok ? 'ok   ' : 'WRONG'} ${file}: fixed clock ${fixed}; today ${now}${want ? ` (must be ${want})` : ''}`,
    );
    continue;
  }
  const events = parseEventFile(body, file).map((e) => interpretSesEvent(e));
  const kinds = events.map((e) => e?.kind ?? 'not understood');
  if (kinds.includes('not understood')) wrong++;
  console.log(`${kinds.includes('not understood') ? 'WRONG' : 'ok   '} ${file}: ${kinds.join(', ')}`);
}
console.log(
  wrong ? `${wrong} file(s) not as the corpus README says` : 'every file as the corpus README says',
);
process.exitCode = wrong ? 1 : 0;
