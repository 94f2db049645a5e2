import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildMime } from '../adapters/ses/mime';
import type { Edition, EditionRepository } from '../core/editions';
import { HQ_POST } from '../core/editions';
import type { Mailer } from '../core/mail';
import { broadcastLanguage } from './dispatch';
import { BATCH_SIZE, type SendBatchMessage } from './model';
import type { SendRecords } from './ports';
import { RateGovernor } from './rate';
import { processBatch, type WorkerDeps } from './worker';

/**
 * `missive edition send ID --dry-run --out DIR`: every message built exactly as the
 * worker would send it (same code: processBatch), written as DIR/<n>-<subscriber>.eml
 * instead of going to SES. Nothing is claimed, marked or counted.
 */
export async function dryRunSend(
  deps: WorkerDeps & { recipients: import('./ports').RecipientSource },
  edition: Edition,
  outDir: string,
  progress?: (written: number) => void,
): Promise<{ written: number; skipped: number; byVariant: Record<string, number> }> {
  await mkdir(outDir, { recursive: true });
  let written = 0;
  const byVariant: Record<string, number> = {};
  let current = '';
  const fileMailer: Mailer = {
    async send(message) {
      written++;
      byVariant[current] = (byVariant[current] ?? 0) + 1;
      const recipient = message.tags.recipient ?? 'unknown';
      await writeFile(
        join(outDir, `${String(written).padStart(6, '0')}-${recipient}.eml`),
        message.raw ?? (await buildMime(message)),
      );
      if (written % 100 === 0) progress?.(written);
      return { messageId: `dry-run-${written}` };
    },
  };
  const nothingRecorded: SendRecords = {
    claim: async () => true,
    overlap: async () => true,
    get: async () => new Map(),
    reclaim: async () => true,
    mark: async () => true,
    release: async () => {},
  };
  let skipped = 0;
  // The worker reads the edition by id: a dry run hands it this one, whatever its status.
  const asIfSending = { ...edition, status: 'sending' as const };
  const dry: WorkerDeps = {
    ...deps,
    // Object.create keeps the repository's methods (a spread would drop its prototype).
    editions: {
      ...deps.editions,
      editions: Object.assign(Object.create(deps.editions.editions) as EditionRepository, {
        get: async () => asIfSending,
      }),
    },
    mailer: fileMailer,
    records: nothingRecorded,
    progress: {
      add: async (_id, delta) => {
        skipped += delta.skipped ?? 0;
      },
      step: async () => true,
      note: async () => {},
      read: async () => {
        throw new Error('no progress in a dry run');
      },
    },
    ledger: { accepted: async () => undefined },
    quota: { quota: async () => ({ maxSendRate: 1_000_000, max24HourSend: 0, sentLast24Hours: 0 }) },
    governor: new RateGovernor(1_000_000),
    workerShare: 1,
  };
  const run = async (batch: Omit<SendBatchMessage, 'kind'>) => {
    current = `${batch.audience}/${batch.language}`;
    await processBatch(dry, { kind: 'send', ...batch });
  };

  if (edition.post === HQ_POST) {
    const languages = edition.variants.map((v) => v.language);
    const seen = new Set<string>();
    const byLanguage = new Map<string, string[]>();
    let cursor: string | undefined;
    do {
      const page = await deps.recipients.networkSegment(0, 1, { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const m of page.items) {
        if (!m.confirmed.length || seen.has(m.subscriberId)) continue;
        seen.add(m.subscriberId);
        const l = broadcastLanguage(
          languages,
          m.preferredLanguage,
          m.confirmed.map((c) => c.language),
        );
        if (l) byLanguage.set(l, [...(byLanguage.get(l) ?? []), m.subscriberId]);
      }
      cursor = page.cursor;
    } while (cursor);
    for (const [language, ids] of byLanguage) {
      for (let i = 0; i < ids.length; i += BATCH_SIZE) {
        await run({
          editionId: edition.id,
          audience: edition.variants[0]?.audience ?? 'network',
          language: language as never,
          subscriberIds: ids.slice(i, i + BATCH_SIZE),
        });
      }
    }
  } else {
    const sentTo = new Set<string>();
    for (const v of edition.variants) {
      let cursor: string | undefined;
      do {
        const page = await deps.recipients.confirmedMembers(edition.post, v.audience, v.language, {
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        // One message per person per edition, as the send records would ensure.
        const ids = page.items.filter((id) => !sentTo.has(id));
        for (const id of ids) sentTo.add(id);
        for (let i = 0; i < ids.length; i += BATCH_SIZE) {
          await run({
            editionId: edition.id,
            audience: v.audience,
            language: v.language,
            subscriberIds: ids.slice(i, i + BATCH_SIZE),
          });
        }
        cursor = page.cursor;
      } while (cursor);
    }
  }
  return { written, skipped, byVariant };
}
