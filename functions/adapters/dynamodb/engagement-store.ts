import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EngagementEvent } from '../../engagement/model';
import type { EngagementStore, Mark, MarkKey, SoftBounceStreak } from '../../engagement/ports';
import { batchGetAll, conditional } from './paging';

/**
 * events table, engagement items (all expire by TTL on expiresAt):
 *   raw event   pk=<editionId>#<subscriberId> | ANON#<hash> | MISC#<day>   sk=EV#<kind>#<eventId>
 *               (SES events: delivery, bounce, ...)
 *   mark        pk=PERSON#<subscriberId> sk=ED#<editionId>#OPENS|CLICKS
 *               (aggregate-only: pk=ANON#<hash of edition and person> sk=OPENS|CLICKS)
 *               a person's opens (web views included) or clicks of an edition: the
 *               events' ids (a redelivery is refused), their log (time, class, device,
 *               link), the first one, the first by a person, the links clicked
 *   soft-bounce streak   pk=PERSON#<subscriberId> sk=SOFT
 *   activity    pk=PERSON#<subscriberId> sk=ACTIVITY
 *               per scope and kind, the months the person was sent to / engaged
 *               (engagement/activity.ts: unique people over the engagement window)
 * Every key holding a person holds their id, so erasure finds them (personal-data.ts).
 * No address, IP address or user agent is written: the raw event keeps the
 * classification and the device family only.
 */
const MARK_FIELDS = ['first', 'firstH'] as const;

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

  async recordTracking(
    event: EngagementEvent,
    owner: MarkKey,
    human: boolean,
    expiresAt: number,
  ): Promise<Mark | 'duplicate'> {
    const kind = event.kind === 'click' ? 'CLICKS' : 'OPENS';
    const Key =
      'hash' in owner
        ? { pk: `ANON#${owner.hash}`, sk: kind }
        : { pk: `PERSON#${owner.subscriberId}`, sk: `ED#${owner.editionId}#${kind}` };
    // The raw event, as kept: what happened and how it was classified, never a user agent or IP.
    const entry = {
      id: event.id,
      at: event.at,
      kind: event.kind,
      ...(event.classification
        ? {
            class: event.classification.class,
            rule: event.classification.rule,
            device: event.classification.device,
          }
        : {}),
      ...(event.link !== undefined ? { link: event.link } : {}),
      ...(event.item ? { item: event.item } : {}),
    };
    const sets = [
      '#log = list_append(if_not_exists(#log, :none), :entry)',
      '#first = if_not_exists(#first, :at)',
      'expiresAt = :exp',
    ];
    const values: Record<string, unknown> = {
      ':none': [],
      ':entry': [entry],
      ':at': event.at,
      ':exp': expiresAt,
      ':id': new Set([event.id]),
      ':idv': event.id,
    };
    const names: Record<string, string> = { '#log': 'log', '#first': 'first', '#ids': 'ids' };
    if (human) {
      sets.push('#firstH = if_not_exists(#firstH, :at)');
      names['#firstH'] = 'firstH';
    }
    if (!('hash' in owner)) {
      sets.push('post = :post, editionId = :edition');
      values[':post'] = owner.post;
      values[':edition'] = owner.editionId;
    }
    const adds = ['#ids :id'];
    if (event.link !== undefined) {
      adds.push('links :link');
      values[':link'] = new Set([event.link]);
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
          ConditionExpression: 'NOT contains(#ids, :idv)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return markOf(out.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  async addActivity(
    subscriberId: string,
    adds: ReadonlyMap<string, ReadonlySet<string>>,
    expiresAt: number,
  ): Promise<Map<string, ReadonlySet<string>>> {
    const names: Record<string, string> = { '#exp': 'expiresAt' };
    const values: Record<string, unknown> = { ':exp': expiresAt };
    const parts: string[] = [];
    [...adds].forEach(([attribute, months], i) => {
      names[`#a${i}`] = attribute;
      values[`:v${i}`] = new Set(months);
      parts.push(`#a${i} :v${i}`);
    });
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `PERSON#${subscriberId}`, sk: 'ACTIVITY' },
        UpdateExpression: `SET #exp = :exp ADD ${parts.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    const before = new Map<string, ReadonlySet<string>>();
    for (const attribute of adds.keys()) {
      const old = out.Attributes?.[attribute];
      if (old instanceof Set) before.set(attribute, old as Set<string>);
    }
    return before;
  }

  async activities(subscriberIds: readonly string[]): Promise<Map<string, Map<string, ReadonlySet<string>>>> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      subscriberIds.map((id) => ({ pk: `PERSON#${id}`, sk: 'ACTIVITY' })),
    );
    return new Map(
      items.map((i) => [
        String(i.pk).slice('PERSON#'.length),
        new Map(
          Object.entries(i).flatMap(([k, v]) => (v instanceof Set ? [[k, v as ReadonlySet<string>]] : [])),
        ),
      ]),
    );
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
