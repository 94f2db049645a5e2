import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  ScanCommand,
  type ScanCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../../config/table-names';
import type { AuditEntry } from '../../core/audit';
import { normaliseEmail } from '../../core/model';
import type { PersonalDataStore, PersonalRecords } from '../../subscribers/ports';

type Item = Record<string, unknown>;

async function scanAll(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Does an audit entry name this person (its target, or any detail value)? */
function names(entry: AuditEntry, id: string | undefined, email: string): boolean {
  if (id !== undefined && entry.target.id === id) return true;
  return Object.values(entry.detail ?? {}).some(
    (v) => typeof v === 'string' && (normaliseEmail(v) === email || (id !== undefined && v === id)),
  );
}

/**
 * GDPR access and erasure over the tables whose keys are not the person's: send
 * records and events (pk <editionId>#<subscriberId>...) and the audit trail. Scans,
 * filtered server-side where the key names the person: an admin's rare request.
 */
export class DynamoPersonalData implements PersonalDataStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: Pick<TableNames, 'subscribers' | 'sends' | 'events' | 'audit'>,
  ) {}

  private byId(table: string, id: string | undefined): Promise<Item[]> {
    if (id === undefined) return Promise.resolve([]);
    return scanAll(this.doc, {
      TableName: table,
      FilterExpression: 'contains(pk, :id)',
      ExpressionAttributeValues: { ':id': id },
    });
  }

  private async auditItems(id: string | undefined, email: string): Promise<Item[]> {
    const items = await scanAll(this.doc, { TableName: this.tables.audit });
    return items.filter((i) => names(i.entry as AuditEntry, id, email));
  }

  async find(subscriberId: string | undefined, rawEmail: string): Promise<PersonalRecords> {
    const email = normaliseEmail(rawEmail);
    const [sends, events, audit] = await Promise.all([
      this.byId(this.tables.sends, subscriberId),
      this.byId(this.tables.events, subscriberId),
      this.auditItems(subscriberId, email),
    ]);
    return { sends, events, audit: audit.map((i) => i.entry as AuditEntry) };
  }

  async erase(
    subscriberId: string | undefined,
    rawEmail: string,
    pseudonym: string,
  ): Promise<{ subscriber: number; sends: number; events: number; audit: number }> {
    const email = normaliseEmail(rawEmail);
    const remove = async (table: string, items: Item[], key: (i: Item) => Item) => {
      for (const item of items) await this.doc.send(new DeleteCommand({ TableName: table, Key: key(item) }));
      return items.length;
    };
    const sends = await remove(this.tables.sends, await this.byId(this.tables.sends, subscriberId), (i) => ({
      pk: i.pk,
    }));
    const events = await remove(
      this.tables.events,
      await this.byId(this.tables.events, subscriberId),
      (i) => ({ pk: i.pk, sk: i.sk }),
    );
    // The audit trail keeps what staff did; who it concerned becomes the pseudonym.
    const entries = await this.auditItems(subscriberId, email);
    for (const item of entries) {
      const entry = item.entry as AuditEntry;
      const detail = Object.fromEntries(
        Object.entries(entry.detail ?? {}).map(([k, v]) =>
          typeof v === 'string' && (normaliseEmail(v) === email || v === subscriberId)
            ? [k, pseudonym]
            : [k, v],
        ),
      );
      const redacted: AuditEntry = {
        ...entry,
        target: entry.target.id === subscriberId ? { ...entry.target, id: pseudonym } : entry.target,
        ...(entry.detail ? { detail } : {}),
      };
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.audit,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET #e = :e',
          ExpressionAttributeNames: { '#e': 'entry' },
          ExpressionAttributeValues: { ':e': redacted },
        }),
      );
    }
    // The person's own items (subscriptions, and any item keyed by the address or the id),
    // then the profile, the email claim last: a rerun finds the person by the claim.
    const own = await scanAll(this.doc, {
      TableName: this.tables.subscribers,
      FilterExpression:
        subscriberId === undefined ? 'contains(pk, :e)' : 'contains(pk, :e) OR contains(pk, :id)',
      ExpressionAttributeValues: {
        ':e': email,
        ...(subscriberId === undefined ? {} : { ':id': subscriberId }),
      },
    });
    const rank = (i: Item) => (i.sk === 'EMAIL' ? 2 : i.sk === 'PROFILE' ? 1 : 0);
    const claimLast = [...own].sort((a, b) => rank(a) - rank(b));
    const subscriber = await remove(this.tables.subscribers, claimLast, (i) => ({ pk: i.pk, sk: i.sk }));
    return { subscriber, sends, events, audit: entries.length };
  }
}
