import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import { HQ_POST, type Language, normaliseEmail, type Subscriber, type Subscription } from '../../core/model';
import type { Page, PageRequest } from '../../core/ports';
import type { NetworkMember } from '../../sending/ports';
import type { SubscriberRepository } from '../../subscribers/ports';
import {
  batchGetAll,
  batchPut,
  clampLimit,
  conditional,
  decodeCursor,
  encodeCursor,
  keyAttributes,
} from './paging';
import { TABLES } from './tables';

/**
 * subscribers table:
 *   profile       pk=SUB#<id>      sk=PROFILE
 *   email claim   pk=EMAIL#<addr>  sk=EMAIL             (one person per address, by conditional put)
 *   subscription  pk=SUB#<id>      sk=SUBN#<post>#<aud>
 *                 gsi2pk=POST#<post>  gsi2sk=<status>#<id>#<aud>           (index byPost)
 *                 gsi1pk=MEMBERS#<post>#<aud>#<lang>  gsi1sk=<id>          (index members; confirmed only)
 */
const subKey = (id: string) => `SUB#${id}`;
const emailKey = (email: string) => `EMAIL#${normaliseEmail(email)}`;
const membersKey = (post: string, audience: string, language: string) =>
  `MEMBERS#${post}#${audience}#${language}`;

const profileItem = (s: Subscriber) => ({
  pk: subKey(s.id),
  sk: 'PROFILE',
  id: s.id,
  email: normaliseEmail(s.email),
  name: s.name,
  language: s.language,
  consent: s.consent,
  createdAt: s.createdAt,
  ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
});

const claimItem = (s: Subscriber) => ({
  pk: emailKey(s.email),
  sk: 'EMAIL',
  subscriberId: s.id,
  ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
});

function subscriptionItem(s: Subscription) {
  return {
    pk: subKey(s.subscriberId),
    sk: `SUBN#${s.post}#${s.audience}`,
    subscriberId: s.subscriberId,
    post: s.post,
    audience: s.audience,
    language: s.language,
    status: s.status,
    updatedAt: s.updatedAt,
    gsi2pk: `POST#${s.post}`,
    gsi2sk: `${s.status}#${s.subscriberId}#${s.audience}`,
    ...(s.consent ? { consent: s.consent } : {}),
    ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
    ...(s.tags?.length ? { tags: s.tags } : {}),
    ...(s.fields && Object.keys(s.fields).length > 0 ? { fields: s.fields } : {}),
    // Sparse index: only confirmed subscriptions are members a variant is sent to.
    ...(s.status === 'confirmed'
      ? { gsi1pk: membersKey(s.post, s.audience, s.language), gsi1sk: s.subscriberId }
      : {}),
  };
}

const toSubscriber = (item: Record<string, unknown>): Subscriber => ({
  id: item.id as string,
  email: item.email as string,
  name: item.name as string,
  language: item.language as Language,
  consent: item.consent as Subscriber['consent'],
  createdAt: item.createdAt as string,
  ...(typeof item.expiresAt === 'number' ? { expiresAt: item.expiresAt } : {}),
});

const toSubscription = (item: Record<string, unknown>): Subscription => ({
  subscriberId: item.subscriberId as string,
  post: item.post as string,
  audience: item.audience as string,
  language: item.language as Language,
  status: item.status as Subscription['status'],
  updatedAt: item.updatedAt as string,
  ...(item.consent ? { consent: item.consent as NonNullable<Subscription['consent']> } : {}),
  ...(typeof item.expiresAt === 'number' ? { expiresAt: item.expiresAt } : {}),
  ...(Array.isArray(item.tags) ? { tags: item.tags as string[] } : {}),
  ...(item.fields && typeof item.fields === 'object'
    ? { fields: item.fields as Record<string, string> }
    : {}),
});

export class DynamoSubscriberRepository implements SubscriberRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(subscriber: Subscriber): Promise<void> {
    // Claim the address first: two concurrent sign-ups for one address make one person.
    const claim = new PutCommand({
      TableName: this.table,
      Item: claimItem(subscriber),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (!(await conditional(() => this.doc.send(claim))))
      throw new ConflictError('this address is already subscribed');
    // An import racing this sign-up may have written the same person's profile (same id): it stays.
    await conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: profileItem(subscriber),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async putPending(subscription: Subscription): Promise<boolean> {
    return conditional(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: subscriptionItem({ ...subscription, status: 'pending' }),
          ConditionExpression: 'attribute_not_exists(pk) OR #s <> :confirmed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed' },
        }),
      ),
    );
  }

  async keep(subscriber: Pick<Subscriber, 'id' | 'email'>): Promise<void> {
    // Both items, so neither the profile nor the address claim expires on its own.
    for (const Key of [
      { pk: subKey(subscriber.id), sk: 'PROFILE' },
      { pk: emailKey(subscriber.email), sk: 'EMAIL' },
    ]) {
      await this.doc
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'REMOVE expiresAt',
            ConditionExpression: 'attribute_exists(pk)',
          }),
        )
        .catch((error: unknown) => {
          if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        });
    }
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: subKey(id), sk: 'PROFILE' } }),
    );
    return out.Item ? toSubscriber(out.Item) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Subscriber>> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      [...new Set(ids)].map((id) => ({ pk: subKey(id), sk: 'PROFILE' })),
    );
    return new Map(items.map((i) => [i.id as string, toSubscriber(i)]));
  }

  async subscriptionStatuses(
    ids: readonly string[],
    post: string,
    audience: string,
  ): Promise<Map<string, Subscription['status']>> {
    const keys = [...new Set(ids)].map((id) => ({ pk: subKey(id), sk: `SUBN#${post}#${audience}` }));
    const items = await batchGetAll(this.doc, this.table, keys, {
      projection: 'subscriberId, #s',
      names: { '#s': 'status' },
    });
    return new Map(items.map((i) => [i.subscriberId as string, i.status as Subscription['status']]));
  }

  /**
   * One segment of a parallel Scan of the whole table (HQ broadcast only), as people:
   * a person's profile and subscriptions share a partition key, so they are read
   * together; a person cut by the page limit is held back for the next page.
   */
  async networkSegment(
    segment: number,
    totalSegments: number,
    page: PageRequest = {},
  ): Promise<Page<NetworkMember>> {
    const out = await this.doc.send(
      new ScanCommand({
        TableName: this.table,
        Segment: segment,
        TotalSegments: totalSegments,
        FilterExpression: 'begins_with(pk, :sub)',
        ExpressionAttributeValues: { ':sub': 'SUB#' },
        Limit: clampLimit(page.limit, 500, 1000),
        ExclusiveStartKey: decodeCursor(page.cursor, { attributes: keyAttributes(TABLES.subscribers) }),
      }),
    );
    let items = out.Items ?? [];
    let lastKey = out.LastEvaluatedKey;
    if (lastKey && items.length > 0) {
      // Hold back the last person: their remaining items may be on the next page.
      const lastPk = items[items.length - 1]?.pk;
      const firstOfLast = items.findIndex((i) => i.pk === lastPk);
      if (firstOfLast > 0) {
        const before = items[firstOfLast - 1] as Record<string, unknown>;
        lastKey = { pk: before.pk, sk: before.sk };
        items = items.slice(0, firstOfLast);
      }
    }
    const people = new Map<
      string,
      { preferred?: Language; stopped?: boolean; confirmed: NetworkMember['confirmed'][number][] }
    >();
    for (const item of items) {
      const id = String(item.pk).slice('SUB#'.length);
      const person = people.get(id) ?? { confirmed: [] };
      if (item.sk === 'PROFILE') person.preferred = item.language as Language;
      else if (item.post === HQ_POST) person.stopped ||= item.status === 'unsubscribed';
      else if (item.status === 'confirmed') {
        person.confirmed.push({
          post: item.post as string,
          audience: item.audience as string,
          language: item.language as Language,
        });
      }
      people.set(id, person);
    }
    const members = [...people.entries()]
      .filter(([, p]) => p.preferred !== undefined)
      .map(([subscriberId, p]) => ({
        subscriberId,
        preferredLanguage: p.preferred as Language,
        broadcastsStopped: p.stopped === true,
        confirmed: p.confirmed,
      }));
    const cursor = encodeCursor(lastKey);
    return { items: members, ...(cursor ? { cursor } : {}) };
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const claim = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: emailKey(email), sk: 'EMAIL' } }),
    );
    return claim.Item ? this.get(claim.Item.subscriberId as string) : undefined;
  }

  async updateProfile(id: string, changes: { name: string; language: Language }): Promise<void> {
    // Conditional: a valid link for nobody must not create a profile without an address.
    const update = new UpdateCommand({
      TableName: this.table,
      Key: { pk: subKey(id), sk: 'PROFILE' },
      UpdateExpression: 'SET #name = :name, #language = :language',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#name': 'name', '#language': 'language' },
      ExpressionAttributeValues: { ':name': changes.name, ':language': changes.language },
    });
    await conditional(() => this.doc.send(update));
  }

  async subscriberIdsByEmail(emails: readonly string[]): Promise<Map<string, string>> {
    const keys = [...new Set(emails.map(normaliseEmail))].map((e) => ({ pk: emailKey(e), sk: 'EMAIL' }));
    const items = await batchGetAll(this.doc, this.table, keys, { projection: 'pk, subscriberId' });
    return new Map(items.map((i) => [String(i.pk).slice('EMAIL#'.length), i.subscriberId as string]));
  }

  async putSubscriptions(subscriptions: readonly Subscription[]): Promise<void> {
    await batchPut(this.doc, this.table, subscriptions.map(subscriptionItem));
  }

  async putSubscription(subscription: Subscription): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: subscriptionItem(subscription) }));
  }

  async subscriptionsOf(subscriberId: string): Promise<Subscription[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':pk': subKey(subscriberId), ':s': 'SUBN#' },
      }),
    );
    return (out.Items ?? []).map(toSubscription);
  }

  async confirmedMembers(
    post: string,
    audience: string,
    language: Language,
    page: PageRequest = {},
  ): Promise<Page<string>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'members',
        KeyConditionExpression: 'gsi1pk = :m',
        ExpressionAttributeValues: { ':m': membersKey(post, audience, language) },
        ProjectionExpression: 'subscriberId, pk, sk, gsi1pk, gsi1sk',
        Limit: clampLimit(page.limit),
        ExclusiveStartKey: decodeCursor(page.cursor, {
          attributes: keyAttributes(TABLES.subscribers, 'members'),
          partition: { name: 'gsi1pk', value: membersKey(post, audience, language) },
        }),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => i.subscriberId as string), ...(cursor ? { cursor } : {}) };
  }

  async countMembers(post: string, audience: string, language: Language): Promise<number> {
    // Select COUNT over the sparse members index: no item leaves DynamoDB; a page per MB read.
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'members',
          KeyConditionExpression: 'gsi1pk = :m',
          ExpressionAttributeValues: { ':m': membersKey(post, audience, language) },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async subscriptionsOfPost(
    post: string,
    status?: Subscription['status'],
    page: PageRequest = {},
  ): Promise<Page<Subscription>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byPost',
        KeyConditionExpression: status ? 'gsi2pk = :p AND begins_with(gsi2sk, :s)' : 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': `POST#${post}`, ...(status ? { ':s': `${status}#` } : {}) },
        Limit: clampLimit(page.limit),
        ExclusiveStartKey: decodeCursor(page.cursor, {
          attributes: keyAttributes(TABLES.subscribers, 'byPost'),
          partition: { name: 'gsi2pk', value: `POST#${post}` },
          ...(status ? { sort: { name: 'gsi2sk', prefix: `${status}#` } } : {}),
        }),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(toSubscription), ...(cursor ? { cursor } : {}) };
  }

  async importMany(
    people: readonly { subscriber: Subscriber; subscriptions: readonly Subscription[] }[],
    progress?: (done: number, total: number) => void,
  ): Promise<void> {
    const items = people.flatMap(({ subscriber, subscriptions }) => [
      claimItem(subscriber),
      profileItem(subscriber),
      ...subscriptions.map(subscriptionItem),
    ]);
    await batchPut(this.doc, this.table, items, (written) => progress?.(written, items.length));
  }
}
