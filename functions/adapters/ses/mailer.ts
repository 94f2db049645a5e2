import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import type { Mailer, OutgoingMessage } from '../../core/mail';
import { buildMime } from './mime';

/** SES tag values allow letters, digits, _ - . only. */
const tagValue = (v: string) => v.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 256);

export function sesMailer(
  ses: SESClient,
  options: {
    configurationSet?: string | undefined;
    onRaw?: (messageId: string, raw: Buffer) => Promise<void>;
  } = {},
): Mailer {
  return {
    async send(message: OutgoingMessage) {
      const raw = message.raw ?? (await buildMime(message));
      const out = await ses.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
          Tags: Object.entries(message.tags).map(([Name, Value]) => ({
            Name: tagValue(Name),
            Value: tagValue(Value),
          })),
        }),
      );
      const messageId = out.MessageId ?? '';
      if (options.onRaw) await options.onRaw(messageId, raw);
      return { messageId };
    },
  };
}

/**
 * The local stack keeps the raw MIME of every message it sends, by SES message id
 * (aws-ses-v2-local stores messages parsed, without custom headers): people and
 * tests check List-Unsubscribe and the rest there. In memory for --memory runs.
 */
export interface RawOutbox {
  put(messageId: string, raw: Buffer): Promise<void>;
  get(messageId: string): Promise<Buffer | undefined>;
  ids(): string[];
}

export function rawOutbox(dir: string | undefined): RawOutbox {
  const memory = new Map<string, Buffer>();
  const safe = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return {
    async put(id, raw) {
      memory.set(id, raw);
      if (dir) {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, `${safe(id)}.eml`), raw);
      }
    },
    async get(id) {
      return memory.get(id);
    },
    ids: () => [...memory.keys()],
  };
}
