import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EditionRepository } from '../../editions/ports';
import type { LatestEditions, SubscribeStore } from '../../subscribers/ports';
import { conditional } from './paging';

/**
 * consent texts  directory table    pk=CONSENT#<text id>  sk=TEXT   (written once per version)
 * rate windows   subscribers table  pk=LIMIT#<key>        sk=LIMIT  n, expiresAt (TTL)
 * Keys of rate windows are keyed hashes (subscribers/consent.ts), never an address or IP.
 */
export class DynamoSubscribeStore implements SubscribeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { readonly directory: string; readonly subscribers: string },
  ) {}

  /** Ids this process has stored: the form page stores its text on every view, one write per version. */
  private readonly stored = new Set<string>();

  async putConsentText(text: { id: string; language: string; text: string; at: string }): Promise<void> {
    if (this.stored.has(text.id)) return;
    await conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tables.directory,
          Item: { pk: `CONSENT#${text.id}`, sk: 'TEXT', ...text },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    this.stored.add(text.id);
  }

  async getConsentText(id: string) {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.directory, Key: { pk: `CONSENT#${id}`, sk: 'TEXT' } }),
    );
    return out.Item
      ? { id: out.Item.id as string, language: out.Item.language as string, text: out.Item.text as string }
      : undefined;
  }

  async takeSlot(key: string, max: number, windowSeconds: number, now: Date): Promise<boolean> {
    const nowS = Math.floor(now.getTime() / 1000);
    const Key = { pk: `LIMIT#${key}`, sk: 'LIMIT' };
    // A new window (none yet, or the last one over: TTL deletes late, so expiry is checked here).
    const opened = await conditional(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.subscribers,
          Key,
          UpdateExpression: 'SET n = :one, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':one': 1, ':exp': nowS + windowSeconds, ':now': nowS },
        }),
      ),
    );
    if (opened) return true;
    return conditional(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.subscribers,
          Key,
          UpdateExpression: 'SET n = n + :one',
          ConditionExpression: 'n < :max AND expiresAt >= :now',
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':now': nowS },
        }),
      ),
    );
  }
}

/** The newest sent edition among a post's latest editions (newest first). */
export const latestSentEditions = (editions: EditionRepository): LatestEditions => ({
  async latestSent(post) {
    const page = await editions.listByPost(post, { limit: 50 });
    const summary = page.items.find((e) => e.status === 'sent');
    const edition = summary ? await editions.get(summary.id) : undefined;
    return edition
      ? {
          id: edition.id,
          variants: edition.variants.map((v) => ({ audience: v.audience, language: v.language })),
        }
      : undefined;
  },
});
