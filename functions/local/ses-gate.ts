import { randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { RawOutbox } from '../adapters/ses/mailer';
import type { SendLedger } from '../sending/ports';

/**
 * The local SES endpoint: a gate in front of aws-ses-v2-local that adds what the
 * stand-in lacks and the pipeline depends on.
 *  - GetSendQuota, with the rate and daily quota of the local "account";
 *  - a maximum send rate (--ses-rate): above it SES's own error, `Throttling`
 *    "Maximum sending rate exceeded.", so the rate governor is exercised for real;
 *  - the daily quota: "Daily message quota exceeded.";
 *  - the raw MIME of every accepted message, by message id (the stand-in keeps
 *    messages parsed, without custom headers);
 *  - the ledger of accepted sends per edition and recipient, as SES Send events
 *    give it on AWS.
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
}

export interface SesGate {
  readonly server: Server;
  readonly ledger: SendLedger;
  readonly stats: { accepted: number; throttled: number; throttledAfterFirstSecond: number };
  setRate(rate: number): void;
}

const xmlError = (code: string, message: string) =>
  `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;

const header = (raw: string, name: string) =>
  new RegExp(`^${name}:\\s*(.+)$`, 'im')
    .exec(raw.slice(0, raw.search(/\r?\n\r?\n/) + 1 || 4000))?.[1]
    ?.trim();

export function createSesGate(options: SesGateOptions): SesGate {
  const upstream = new URL(options.upstream);
  const ledger = new Map<string, string>();
  const sentAt: number[] = []; // acceptance times, for the rate window and the 24-hour count
  let rate = options.maxSendRate;
  let firstSend: number | undefined;
  const stats = { accepted: 0, throttled: 0, throttledAfterFirstSecond: 0 };

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
      stats.accepted++;
      const raw = Buffer.from(form?.get('RawMessage.Data') ?? '', 'base64').toString('utf8');
      const messageId = randomUUID();
      const edition = header(raw, 'X-Missive-Edition');
      const recipient = header(raw, 'X-Missive-Recipient');
      if (edition && recipient) ledger.set(`${edition}#${recipient}`, messageId);
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
          stats.accepted++;
          await options.outbox.put(messageId, raw);
          const text = raw.toString('utf8');
          const edition = header(text, 'X-Missive-Edition');
          const recipient = header(text, 'X-Missive-Recipient');
          if (edition && recipient) ledger.set(`${edition}#${recipient}`, messageId);
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
    ledger: { accepted: async (editionId, subscriberId) => ledger.get(`${editionId}#${subscriberId}`) },
  };
}
