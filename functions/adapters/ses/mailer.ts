import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer } from '../../core/mail';
import { mailTags, prepareMime } from './mime';

/** Where a built message goes: SES, or files (the dry run). Resolves with a message id. */
export type MailTransport = (raw: Buffer, tags: Readonly<Record<string, string>>) => Promise<string>;

/**
 * A Mailer over a transport: every message is built by prepareMime, whatever carries
 * it, so a dry run writes byte for byte what SES would be given (ids and date aside).
 */
export function mimeMailer(transport: MailTransport): Mailer {
  return {
    async prepare(envelope) {
      const build = await prepareMime(envelope);
      return {
        async send(addressee) {
          const raw = await build(addressee);
          return { messageId: await transport(raw, mailTags(envelope, addressee)) };
        },
      };
    },
  };
}

/** SES tag values allow letters, digits, _ - . only. */
const tagValue = (v: string) => v.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 256);

export function sesMailer(ses: SESClient, options: { configurationSet?: string | undefined } = {}): Mailer {
  return mimeMailer(async (raw, tags) => {
    const out = await ses.send(
      new SendRawEmailCommand({
        RawMessage: { Data: raw },
        ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
        Tags: Object.entries(tags).map(([Name, Value]) => ({ Name: tagValue(Name), Value: tagValue(Value) })),
      }),
    );
    return out.MessageId ?? '';
  });
}

/**
 * The dry run's mailer: each message written to DIR/<n>-<recipient>.eml instead of
 * going to SES. `onWrite` sees each one (for progress and per-variant counts).
 */
export function fileMailer(
  dir: string,
  onWrite?: (written: number, tags: Readonly<Record<string, string>>) => void,
): Mailer {
  let written = 0;
  return mimeMailer(async (raw, tags) => {
    written++;
    await mkdir(dir, { recursive: true });
    const name = `${String(written).padStart(6, '0')}-${(tags.recipient ?? 'unknown').replace(/[^A-Za-z0-9_.-]/g, '_')}.eml`;
    await writeFile(join(dir, name), raw);
    onWrite?.(written, tags);
    return `dry-run-${written}`;
  });
}

/**
 * The local stack keeps the raw MIME of every message it sends, by SES message id
 * (aws-ses-v2-local stores messages parsed, without custom headers): people and
 * tests check List-Unsubscribe and the rest there. In memory for --memory runs.
 */
export interface RawOutbox {
  /** Keeps a message as pending (`<id>.eml.pending`) until `settle`: see the SES gate. */
  put(messageId: string, raw: Buffer): Promise<void>;
  /** The message's SES events are recorded: it becomes `<id>.eml`. */
  settle(messageId: string): Promise<void>;
  /** Messages kept but not settled (a stack killed between the two), with their MIME. */
  pending(): Promise<{ messageId: string; raw: Buffer }[]>;
  get(messageId: string): Promise<Buffer | undefined>;
  ids(): string[];
}

export function rawOutbox(dir: string | undefined): RawOutbox {
  const memory = new Map<string, Buffer>();
  const safe = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, '_');
  const PENDING = '.eml.pending';
  return {
    async put(id, raw) {
      memory.set(id, raw);
      if (dir) {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, `${safe(id)}${PENDING}`), raw);
      }
    },
    async settle(id) {
      if (dir) await rename(join(dir, `${safe(id)}${PENDING}`), join(dir, `${safe(id)}.eml`));
    },
    async pending() {
      if (!dir) return [];
      const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith(PENDING));
      return Promise.all(
        names.map(async (n) => ({
          messageId: n.slice(0, -PENDING.length),
          raw: await readFile(join(dir, n)),
        })),
      );
    },
    async get(id) {
      return memory.get(id);
    },
    ids: () => [...memory.keys()],
  };
}
