import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeHTML } from 'entities';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileMailer } from '../../functions/adapters/ses/mailer';
import type { Edition } from '../../functions/editions/model';
import { createEdition, scheduleEdition, submitEdition } from '../../functions/editions/service';
import type { LocalStack } from '../../functions/local/stack';
import { startLocalStack } from '../../functions/local/stack';
import { previewHtml } from '../../functions/rendering/personalise';
import { dryRunSend } from '../../functions/sending/dry-run';
import { testSend } from '../../functions/sending/test-send';
import { members } from '../helpers/people';
import { smallSeeds } from '../helpers/seeds';
import { stackOptions } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

/**
 * One place builds every outgoing message: the same recipient's message from a test
 * send, a dry run and the send worker carries the same headers; and what people type
 * is data: markers in a subject, a block's text or an image URL are never filled in.
 */
let stack: LocalStack;
const actor = { id: 'editor-1', roles: ['post-editor'] };
const approver = { id: 'approver-2', roles: ['post-approver'] };
const reader = members(1, { post: 'casablanca', audience: 'economic', language: 'fr', prefix: 'one' })[0];
if (!reader) throw new Error('no reader');

const SUBJECT = 'Avis @@TO@@ @@RECIPIENT@@ @@HTML@@ @@BLOCKS@@ %%UNSUB_URL%%';
const TYPED = 'Lien %%UNSUB_URL%% %%WEB_URL%% %%PREFS_URL%% %%L0%% %%GREETING%% 100% sûr';
const IMAGE = 'https://tracker.example.net/p.gif?u=%%UNSUB_URL%%&w=%%PREFS_URL%%';

let edition: Edition;
const messages: Record<'test' | 'dry' | 'real', ParsedMail | undefined> = {
  test: undefined,
  dry: undefined,
  real: undefined,
};
const raws: Record<string, string> = {};

beforeAll(async () => {
  stack = await startLocalStack(stackOptions({ seedsDir: await smallSeeds(0) }));
  await stack.ctx.repos.subscribers.importMany([reader]);
  const draft = await createEdition(stack.ctx.editions, actor, 'casablanca', {
    title: 'Markers',
    sensitive: false,
    variants: [
      {
        audience: 'economic',
        language: 'fr',
        subject: SUBJECT,
        preheader: '',
        intro: 'Bonjour',
        blocks: [
          { type: 'local', title: 'Mission %%L0%%', text: TYPED, image: IMAGE },
          { type: 'cta', label: 'Voir', url: 'https://example.org/a%20b?t=%%UNSUB_URL%%' },
        ],
      },
    ],
  });
  const submitted = await submitEdition(stack.ctx.editions, actor, draft);
  edition = submitted.status === 'approved' ? submitted : submitted;

  // 1. A test send to the reader's own address.
  const [sent] = await testSend(stack.ctx.editions, edition, 'economic', 'fr', [reader.subscriber.email]);
  raws.test = (await stack.ctx.outbox?.get(sent?.messageId ?? ''))?.toString('utf8') ?? '';
  messages.test = await simpleParser(raws.test);

  // 2. A dry run, through the file mailer the CLI uses.
  const out = await mkdtemp(join(tmpdir(), 'missive-dry-'));
  await dryRunSend(stack.ctx.sending, edition, fileMailer(out));
  const [file] = (await readdir(out)).filter((f) => f.includes(reader.subscriber.id));
  raws.dry = await readFile(join(out, file ?? 'none'), 'utf8');
  messages.dry = await simpleParser(raws.dry);

  // 3. The real send: dispatch, the worker, SES.
  await scheduleEdition(stack.ctx.editions, approver, edition);
  await waitFor(async () => (await stack.ctx.repos.editions.get(edition.id))?.status === 'sent');
  const record = (await stack.ctx.sending.worker.records.get(edition.id, [reader.subscriber.id])).get(
    reader.subscriber.id,
  );
  raws.real = (await stack.ctx.outbox?.get(record?.messageId ?? ''))?.toString('utf8') ?? '';
  messages.real = await simpleParser(raws.real);
}, 120_000);
afterAll(async () => stack?.stop());

/** The raw header block as name → value (unfolded), names in lower case. */
function headers(raw: string | undefined): Map<string, string> {
  const head = (raw ?? '').slice(0, (raw ?? '').indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new Map(
    head.split('\r\n').map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()] as const;
    }),
  );
}
const headerNames = (kind: string) => [...headers(raws[kind]).keys()].sort();
/** A header's value; MIME boundaries are drawn per build, so they are left out. */
const headerOf = (kind: string, name: string) =>
  headers(raws[kind])
    .get(name)
    ?.replace(/boundary="[^"]+"/, 'boundary=…');

describe('one message builder', () => {
  it('gives the same recipient the same headers from a test send, the dry run and the worker', () => {
    const names = headerNames('real');
    expect(names).toEqual(
      expect.arrayContaining([
        'list-unsubscribe',
        'list-unsubscribe-post',
        'x-missive-edition',
        'x-missive-recipient',
      ]),
    );
    expect(headerNames('dry')).toEqual(names);
    expect(headerNames('test')).toEqual(names);
    const own = new Set(['message-id', 'date']);
    for (const name of names.filter((n) => !own.has(n))) {
      // The dry run builds exactly what the worker sends.
      expect([name, headerOf('dry', name)]).toEqual([name, headerOf('real', name)]);
    }
    // A test send differs only where it must: "[TEST] ", and the test subscriber's links.
    for (const name of names.filter(
      (n) => !own.has(n) && !['subject', 'list-unsubscribe', 'x-missive-recipient'].includes(n),
    )) {
      expect([name, headerOf('test', name)]).toEqual([name, headerOf('real', name)]);
    }
    expect(messages.test?.subject).toBe(`[TEST] ${messages.real?.subject}`);
    expect(headerOf('test', 'list-unsubscribe')).toMatch(/^<https?:[^>]+\/unsubscribe\?token=[^>]+>$/);
    expect(headerOf('test', 'x-missive-recipient')).toBe('sub_test');
    expect(headerOf('real', 'x-missive-recipient')).toBe(reader.subscriber.id);
  });

  it('never fills a marker someone typed, in the subject, the text or an image URL', () => {
    for (const m of [messages.test, messages.dry, messages.real]) {
      expect(m?.subject?.replace('[TEST] ', '')).toBe(SUBJECT);
      const html = String(m?.html);
      expect(html).toContain(TYPED);
      expect(decodeHTML(html)).toContain(IMAGE);
      expect(m?.text).toContain(TYPED);
      // The blocks stay in the body, not in <title>.
      expect(html.indexOf('Mission %%L0%%')).toBeGreaterThan(html.indexOf('<body'));
    }
    // Nothing per recipient leaked into the header block (no base64 body in a header).
    for (const raw of Object.values(raws)) {
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      expect(head.split('\r\n').every((line) => line.length <= 998)).toBe(true);
    }
    // The reader's own unsubscribe link appears where the layout puts it, and only there.
    const unsubscribe =
      /<(https?:[^>]+unsubscribe[^>]+)>/.exec(headerOf('real', 'list-unsubscribe') ?? '')?.[1] ?? 'none';
    const html = String(messages.real?.html);
    expect(html.split(unsubscribe).length - 1).toBe(1);
  });

  it('shows the same typed text in the preview', async () => {
    const render = await stack.ctx.editions.editions.getRender(edition.id, 'economic', 'fr');
    const html = previewHtml(render ?? { html: '', links: [] }, stack.ctx.editions.labels('fr'));
    expect(html).toContain(TYPED);
    expect(decodeHTML(html)).toContain(IMAGE);
    // The call to action keeps its own link, percent-encoding and typed marker included.
    expect(html).toContain('https://example.org/a%20b?t=%%UNSUB_URL%%');
  });
});
