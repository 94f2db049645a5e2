import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EngagementEvent } from '../../engagement/model';
import type { EngagementStore, Mark, MarkKey, SoftBounceStreak } from '../../engagement/ports';
import { markKeyString } from '../../engagement/ports';
import { batchGetAll, conditional } from './paging';

/**
 * events table, engagement items (all expire by TTL on expiresAt):
 *   raw event   pk=<editionId>#<subscriberId> | ANON#<hash> | MISC#<day>   sk=EV#<kind>#<eventId>
 *   mark        pk=PERSON#<subscriberId> sk=ED#<editionId>   (aggregate-only: pk=ANON#<hash> sk=MARK)
 *   soft-bounce streak   pk=PERSON#<subscriberId> sk=SOFT
 * Every key holding a person holds their id, so erasure finds them (personal-data.ts).
 * No address, IP address or user agent is written: the raw event keeps the
 * classification and the device family only.
 */
const markKey = (k: MarkKey) =>
  'hash' in k
    ? { pk: `ANON#${k.hash}`, sk: 'MARK' }
    : { pk: `PERSON#${k.subscriberId}`, sk: `ED#${k.editionId}` };

const MARK_FIELDS = ['open', 'openH', 'click', 'clickH'] as const;

function markOf(item: Record<string, unknown> | undefined): Mark {
  const links = item?.links;
  return {
    ...Object.fromEntries(MARK_FIELDS.flatMap((f) => (typeof item?.[f] === 'string' ? [[f, item[f]]] : []))),
    links: new Set(links instanceof Set ? [...links].map(Number) : []),
  };
}

export class DynamoEngagementStore implements EngagementStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  putRaw(event: EngagementEvent, owner: MarkKey | undefined, expiresAt: number): Promise<boolean> {
    const pk = !owner
      ? `MISC#${event.at.slice(0, 10)}`
      : 'hash' in owner
        ? `ANON#${owner.hash}`
        : `${owner.editionId}#${owner.subscriberId}`;
    const { emails: _emails, ...kept } = event; // addresses are used to suppress, never stored here
    return conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...kept, pk, sk: `EV#${event.kind}#${event.id}`, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async marks(keys: readonly MarkKey[]): Promise<Map<string, Mark>> {
    const byKey = new Map(keys.map((k) => [JSON.stringify(markKey(k)), markKeyString(k)]));
    const items = await batchGetAll(
      this.doc,
      this.table,
      keys.map((k) => markKey(k)),
    );
    const out = new Map<string, Mark>();
    for (const item of items) {
      const id = byKey.get(JSON.stringify({ pk: item.pk, sk: item.sk }));
      if (id) out.set(id, markOf(item));
    }
    return out;
  }

  async updateMark(
    key: MarkKey,
    add: Partial<Omit<Mark, 'links'>> & { links?: readonly number[] },
    expiresAt: number,
  ): Promise<Mark> {
    const sets = ['expiresAt = :exp'];
    const values: Record<string, unknown> = { ':exp': expiresAt };
    const names: Record<string, string> = {};
    for (const f of MARK_FIELDS) {
      const v = add[f];
      if (!v) continue;
      names[`#${f}`] = f;
      values[`:${f}`] = v;
      sets.push(`#${f} = if_not_exists(#${f}, :${f})`);
    }
    if (!('hash' in key)) {
      sets.push('post = :post');
      values[':post'] = key.post;
    }
    const links = add.links && add.links.length > 0 ? new Set(add.links) : undefined;
    if (links) values[':links'] = links;
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: markKey(key),
        UpdateExpression: `SET ${sets.join(', ')}${links ? ' ADD links :links' : ''}`,
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }),
    );
    return markOf(out.Attributes);
  }

  async streaks(subscriberIds: readonly string[]): Promise<Map<string, SoftBounceStreak>> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      subscriberIds.map((id) => ({ pk: `PERSON#${id}`, sk: 'SOFT' })),
    );
    return new Map(
      items.map((i) => [
        String(i.pk).slice('PERSON#'.length),
        { streak: Number(i.streak), lastEdition: String(i.lastEdition) },
      ]),
    );
  }

  async setStreak(subscriberId: string, streak: SoftBounceStreak | undefined): Promise<void> {
    const Key = { pk: `PERSON#${subscriberId}`, sk: 'SOFT' };
    if (!streak) await this.doc.send(new DeleteCommand({ TableName: this.table, Key }));
    else await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...Key, ...streak } }));
  }
}
