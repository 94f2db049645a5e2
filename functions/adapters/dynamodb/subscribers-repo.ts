import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import { type Language, normaliseEmail, type Subscriber, type Subscription } from '../../core/model';
import type { Page, PageRequest, SubscriberRepository } from '../../core/ports';
import { batchPut, clampLimit, decodeCursor, encodeCursor } from './paging';

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
});

const claimItem = (s: Subscriber) => ({ pk: emailKey(s.email), sk: 'EMAIL', subscriberId: s.id });

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
});

const toSubscription = (item: Record<string, unknown>): Subscription => ({
  subscriberId: item.subscriberId as string,
  post: item.post as string,
  audience: item.audience as string,
  language: item.language as Language,
  status: item.status as Subscription['status'],
  updatedAt: item.updatedAt as string,
});

export class DynamoSubscriberRepository implements SubscriberRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(subscriber: Subscriber): Promise<void> {
    // Claim the address first: two concurrent sign-ups for one address make one person.
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: claimItem(subscriber),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConflictError('this address is already subscribed');
      }
      throw error;
    }
    await this.doc.send(new PutCommand({ TableName: this.table, Item: profileItem(subscriber) }));
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: subKey(id), sk: 'PROFILE' } }),
    );
    return out.Item ? toSubscriber(out.Item) : undefined;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const claim = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: emailKey(email), sk: 'EMAIL' } }),
    );
    return claim.Item ? this.get(claim.Item.subscriberId as string) : undefined;
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
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => i.subscriberId as string), ...(cursor ? { cursor } : {}) };
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
        ExclusiveStartKey: decodeCursor(page.cursor),
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
