import { createHmac } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../core/errors';
import {
  normaliseEmail,
  SUPPRESSION_REASONS,
  type Suppression,
  type SuppressionReason,
} from '../../core/model';
import type { Page, PageRequest } from '../../core/ports';
import type { SuppressionRepository } from '../../subscribers/ports';
import { batchGetAll, clampLimit, decodeCursor, encodeCursor, keyAttributes } from './paging';
import { TABLES } from './tables';

/**
 * The keys of erased-address hashes, one per signing key (current first): derived, so
 * no extra secret to provision; every key is tried on reads, so a key rotation keeps
 * matching the hashes made before it while the old key is still configured.
 */
export const erasureKeys = (secrets: readonly string[]): Buffer[] =>
  secrets.map((secret) => createHmac('sha256', secret).update('missive:erased-address:v1').digest());

/** The keyed hash an erasure keeps of an address (or of an id, for the audit trail). */
export const keyedHash = (key: Buffer, value: string): string =>
  createHmac('sha256', key).update(value).digest('hex');

const ERASED = 'ERASED#';

/**
 * suppressions table: pk=<normalised address>; gsi1pk=<reason> gsi1sk=<at>#<address>
 * (index byReason). An erased person leaves pk=ERASED#<HMAC of the address> only.
 */
export class DynamoSuppressionRepository implements SuppressionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Keys of erased-address hashes (erasureKeys); without them nothing can be erased. */
    private readonly keys: readonly Buffer[] = [],
  ) {}

  private hashes(email: string): string[] {
    return this.keys.map((k) => `${ERASED}${keyedHash(k, normaliseEmail(email))}`);
  }

  async put(s: Suppression): Promise<void> {
    const email = normaliseEmail(s.email);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: email, ...s, email, gsi1pk: s.reason, gsi1sk: `${s.at}#${email}` },
      }),
    );
  }

  async putErased(email: string, at: string): Promise<void> {
    const [pk] = this.hashes(email);
    if (!pk) throw new Error('no erasure key: the suppressions repository was built without signing keys');
    // The hash first: at no moment is the address neither suppressed nor hashed.
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk, reason: 'erased', at, gsi1pk: 'erased', gsi1sk: `${at}#${pk}` },
      }),
    );
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: normaliseEmail(email) } }));
  }

  async get(email: string): Promise<Suppression | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: normaliseEmail(email) } }),
    );
    if (out.Item) {
      const { email: address, reason, at, detail } = out.Item as Suppression;
      return { email: address, reason, at, ...(detail ? { detail } : {}) };
    }
    const erased = await batchGetAll(
      this.doc,
      this.table,
      this.hashes(email).map((pk) => ({ pk })),
    );
    const first = erased[0];
    return first ? { email: normaliseEmail(email), reason: 'erased', at: first.at as string } : undefined;
  }

  async suppressedAmong(emails: readonly string[]): Promise<Set<string>> {
    const addresses = [...new Set(emails.map(normaliseEmail))];
    const byKey = new Map<string, string>();
    for (const address of addresses) {
      byKey.set(address, address);
      for (const hash of this.hashes(address)) byKey.set(hash, address);
    }
    const items = await batchGetAll(
      this.doc,
      this.table,
      [...byKey.keys()].map((pk) => ({ pk })),
      { projection: 'pk' },
    );
    return new Set(items.map((i) => byKey.get(i.pk as string) as string));
  }

  async remove(email: string): Promise<boolean> {
    let removed = false;
    for (const pk of [normaliseEmail(email), ...this.hashes(email)]) {
      const out = await this.doc.send(
        new DeleteCommand({ TableName: this.table, Key: { pk }, ReturnValues: 'ALL_OLD' }),
      );
      removed ||= out.Attributes !== undefined;
    }
    return removed;
  }

  /**
   * Newest first. Without a reason, each reason's list in turn; the cursor then says
   * which reason it is in (`<reason>.<cursor>`).
   */
  async list(reason?: SuppressionReason, page: PageRequest = {}): Promise<Page<Suppression>> {
    if (reason) return this.listReason(reason, page);
    let current: SuppressionReason = SUPPRESSION_REASONS[0];
    let inner: string | undefined;
    if (page.cursor) {
      const dot = page.cursor.indexOf('.');
      const named = page.cursor.slice(0, dot);
      if (dot < 0 || !(SUPPRESSION_REASONS as readonly string[]).includes(named))
        throw new ValidationError('cursor: not a cursor of this list; start again without one');
      current = named as SuppressionReason;
      inner = page.cursor.slice(dot + 1) || undefined;
    }
    const limit = clampLimit(page.limit);
    const items: Suppression[] = [];
    for (let i = SUPPRESSION_REASONS.indexOf(current); i < SUPPRESSION_REASONS.length; i++) {
      const r = SUPPRESSION_REASONS[i] as SuppressionReason;
      const got = await this.listReason(r, {
        limit: limit - items.length,
        ...(inner ? { cursor: inner } : {}),
      });
      items.push(...got.items);
      inner = undefined;
      if (got.cursor) return { items, cursor: `${r}.${got.cursor}` };
      const next = SUPPRESSION_REASONS[i + 1];
      if (items.length >= limit) return next ? { items, cursor: `${next}.` } : { items };
    }
    return { items };
  }

  private async listReason(reason: SuppressionReason, page: PageRequest): Promise<Page<Suppression>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byReason',
        KeyConditionExpression: 'gsi1pk = :r',
        ExpressionAttributeValues: { ':r': reason },
        ScanIndexForward: false,
        Limit: clampLimit(page.limit),
        ExclusiveStartKey: decodeCursor(page.cursor, {
          attributes: keyAttributes(TABLES.suppressions, 'byReason'),
          partition: { name: 'gsi1pk', value: reason },
        }),
      }),
    );
    const items = (out.Items ?? []).map((i): Suppression => {
      const pk = String(i.pk);
      // An erased address is known by its hash only.
      const email = pk.startsWith(ERASED) ? `erased:${pk.slice(ERASED.length)}` : String(i.email);
      return {
        email,
        reason: i.reason as SuppressionReason,
        at: String(i.at),
        ...(i.detail ? { detail: String(i.detail) } : {}),
      };
    });
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items, ...(cursor ? { cursor } : {}) };
  }
}
