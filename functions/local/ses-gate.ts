import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { RawOutbox } from '../adapters/ses/mailer';
import { sesEventsFor } from './ses-simulator';

/**
 * The local SES endpoint: a gate in front of aws-ses-v2-local that adds what the
 * stand-in lacks and the pipeline depends on.
 *  - GetSendQuota, with the rate and daily quota of the local "account";
 *  - a maximum send rate (--ses-rate): above it SES's own error, `Throttling`
 *    "Maximum sending rate exceeded.", so the rate governor is exercised for real;
 *  - the daily quota: "Daily message quota exceeded.";
 *  - the raw MIME of every accepted message, by message id (the stand-in keeps
 *    messages parsed, without custom headers);
 *  - SES events: for each accepted message, the JSON SES publishes through a
 *    configuration set (Send, then Delivery; Bounce, Complaint or DeliveryDelay for
 *    the mailbox simulator's addresses: local/ses-simulator.ts), handed to `publish`,
 *    which the local stack wires to the same domain function as the Lambda on AWS.
 *    The Send event is published before SendRawEmail answers (on AWS it follows
 *    within seconds), the outcome right after.
 * Everything else (the web page of sent messages, /store) is the stand-in's own.
 */

export interface SesGateOptions {
  readonly upstream: string;
  readonly maxSendRate: number;
  readonly max24HourSend: number;
  readonly outbox: RawOutbox;
  /**
   * Benchmarks: accept messages without passing them to aws-ses-v2-local (which
   * parses every message) and without keeping them, so the gate measures the
   * pipeline, not the stand-in.
   */
  readonly sink?: boolean;
  /** Where SES events go (the local stack: engagement/ses-events.ts recordSesEvents). */
  readonly publish?: (event: object) => Promise<void>;
}

export interface SesGate {
  readonly server: Server;
  readonly stats: {
    accepted: number;
    throttled: number;
    throttledAfterFirstSecond: number;
    /** When the first and the last message were accepted (ms since epoch): the sending's own span. */
    firstAcceptedAt?: number;
    lastAcceptedAt?: number;
  };
  setRate(rate: number): void;
  /** Resolves once every SES event of the messages accepted so far is published. */
  settled(): Promise<void>;
  /**
   * At start, before any worker runs: the Send event of each message kept but not
   * settled (the stack was killed between the two), so the ledger knows every message
   * SES accepted and no claim is sent again. Returns how many.
   */
  recover(): Promise<number>;
}

/** SendRawEmail's Tags.member.N.Name / .Value, and the configuration set as SES tags it. */
function tagsOf(form: URLSearchParams): Record<string, string[]> {
  const tags: Record<string, string[]> = {};
  for (let n = 1; form.has(`Tags.member.${n}.Name`); n++) {
    tags[form.get(`Tags.member.${n}.Name`) ?? ''] = [form.get(`Tags.member.${n}.Value`) ?? ''];
  }
  const set = form.get('ConfigurationSetName');
  if (set) tags['ses:configuration-set'] = [set];
  return tags;
}

const xmlError = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;

const header = (raw: string, name: string) =>
  new RegExp(`^${name}:\\s*(.+)$`, 'im')
    .exec(raw.slice(0, raw.search(/\r?\n\r?\n/) + 1 || 4000))?.[1]
    ?.trim();

export function createSesGate(options: SesGateOptions): SesGate {
  const upstream = new URL(options.upstream);
  /** Outcome events not yet published (stop() waits for them). */
  const pending = new Set<Promise<void>>();
  const publishAll = async (events: object[]) => {
    for (const e of events) await options.publish?.(e);
  };
  /** Send now (before the answer, as the ledger needs it); the outcome right after. */
  /** The SES events of one accepted message, as SES would write them. */
  // Through JSON and back: the events' strings are cut from the whole request (tags from
  // the form, headers from the raw message), and V8 keeps a cut string's parent alive. A
  // queued event must not hold a 50 KB message (bench:send: 75 KB per queued event before).
  const eventsOf = (raw: string, messageId: string, tags: Record<string, string[]>): object[] =>
    JSON.parse(JSON.stringify(eventsBuilt(raw, messageId, tags))) as object[];
  const eventsBuilt = (raw: string, messageId: string, tags: Record<string, string[]>) =>
    sesEventsFor({
      messageId,
      from: header(raw, 'From') ?? '',
      to: (header(raw, 'To') ?? '').split(',').map((a) => a.trim().replace(/^.*<([^>]+)>$/, '$1')),
      subject: header(raw, 'Subject') ?? '',
      tags,
      now: new Date(),
    });
  const accepted = async (form: URLSearchParams, raw: string, messageId: string) => {
    if (!options.publish) return;
    const [send, ...outcome] = eventsOf(raw, messageId, tagsOf(form));
    if (send) await publishAll([send]);
    const later = publishAll(outcome).catch(() => {});
    pending.add(later);
    void later.finally(() => pending.delete(later));
  };
  const sentAt: number[] = []; // acceptance times, for the rate window and the 24-hour count
  let rate = options.maxSendRate;
  let firstSend: number | undefined;
  const stats: SesGate['stats'] = { accepted: 0, throttled: 0, throttledAfterFirstSecond: 0 };
  const acceptedNow = () => {
    stats.accepted++;
    stats.lastAcceptedAt = Date.now();
    stats.firstAcceptedAt ??= stats.lastAcceptedAt;
  };

  const forward = (
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const req = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method,
            path,
            headers: { ...headers, host: upstream.host },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const form =
      req.method === 'POST' && /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')
        ? new URLSearchParams(body.toString('utf8'))
        : undefined;
    const action = form?.get('Action');
    const now = Date.now();
    while (sentAt.length && sentAt[0] !== undefined && sentAt[0] < now - 86_400_000) sentAt.shift();

    if (action === 'GetSendQuota') {
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult><Max24HourSend>${options.max24HourSend}</Max24HourSend><MaxSendRate>${rate}</MaxSendRate><SentLast24Hours>${sentAt.length}</SentLast24Hours></GetSendQuotaResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetSendQuotaResponse>`,
        );
      return;
    }
    if (action === 'SendRawEmail') {
      firstSend ??= now;
      let inLastSecond = 0;
      for (let i = sentAt.length - 1; i >= 0 && (sentAt[i] ?? 0) > now - 1000; i--) inLastSecond++;
      if (inLastSecond >= rate) {
        stats.throttled++;
        if (now - firstSend > 1000) stats.throttledAfterFirstSecond++;
        res
          .writeHead(400, { 'content-type': 'text/xml' })
          .end(xmlError('Throttling', 'Maximum sending rate exceeded.'));
        return;
      }
      if (options.max24HourSend > 0 && sentAt.length >= options.max24HourSend) {
        res
          .writeHead(400, { 'content-type': 'text/xml' })
          .end(xmlError('Throttling', 'Daily message quota exceeded.'));
        return;
      }
      sentAt.push(now);
    }
    if (action === 'SendRawEmail' && options.sink) {
      acceptedNow();
      const raw = Buffer.from(form?.get('RawMessage.Data') ?? '', 'base64').toString('utf8');
      const messageId = randomUUID();
      if (form) await accepted(form, raw, messageId);
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          `<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>${messageId}</MessageId></SendRawEmailResult></SendRawEmailResponse>`,
        );
      return;
    }
    try {
      const out = await forward(req.method ?? 'GET', req.url ?? '/', req.headers, body);
      if (action === 'SendRawEmail' && out.status === 200) {
        const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(out.body.toString('utf8'))?.[1];
        const raw = Buffer.from(form?.get('RawMessage.Data') ?? '', 'base64');
        if (messageId) {
          acceptedNow();
          // Kept, then its Send event recorded, then settled: a stack killed in between
          // finds the message pending at its next start and records it then (recover).
          await options.outbox.put(messageId, raw);
          try {
            if (form) await accepted(form, raw.toString('utf8'), messageId);
            await options.outbox.settle(messageId);
          } catch {
            // SES accepted it: say so. The message stays pending; the next start records it.
          }
        }
      } else if (action === 'SendRawEmail') {
        sentAt.pop();
      }
      res.writeHead(out.status, out.headers).end(out.body);
    } catch {
      if (action === 'SendRawEmail') sentAt.pop();
      res.writeHead(502, { 'content-type': 'text/plain' }).end('local SES server unreachable');
    }
  });

  return {
    server,
    stats,
    setRate: (r) => {
      rate = r;
    },
    settled: async () => {
      await Promise.all([...pending]);
    },
    async recover() {
      const kept = await options.outbox.pending();
      for (const { messageId, raw } of kept) {
        const text = raw.toString('utf8');
        // The tags SES would echo back, from the headers the message builder writes.
        const tags: Record<string, string[]> = {};
        for (const [name, headerName] of [
          ['edition', 'X-Missive-Edition'],
          ['recipient', 'X-Missive-Recipient'],
        ] as const) {
          const value = header(text, headerName);
          if (value) tags[name] = [value];
        }
        const [send] = eventsOf(text, messageId, tags);
        if (send) await options.publish?.(send);
        await options.outbox.settle(messageId);
      }
      return kept.length;
    },
  };
}
