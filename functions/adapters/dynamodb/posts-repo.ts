import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Audience, Post } from '../../core/model';
import type { PostRepository } from '../../core/ports';
import { batchPut } from './paging';

/**
 * directory table:
 *   post      pk=POST#<code> sk=POST          gsi1pk=POSTS gsi1sk=<code>
 *   audience  pk=POST#<code> sk=AUD#<id>
 */
const postKey = (code: string) => `POST#${code}`;

type PostRecord = Omit<Post, 'audiences'>;

export class DynamoPostRepository implements PostRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(): Promise<Post[]> {
    const records: PostRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': 'POSTS' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) records.push(item.post as PostRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    // ~150 posts: one query per post for its audiences is bounded and parallel.
    return Promise.all(
      records.map(async (record) => ({ ...record, audiences: await this.audiences(record.code) })),
    );
  }

  async get(code: string): Promise<Post | undefined> {
    const items = await this.partition(code);
    const post = items.find((i) => i.sk === 'POST');
    if (!post) return undefined;
    const audiences = items.filter((i) => String(i.sk).startsWith('AUD#')).map((i) => i.audience as Audience);
    return { ...(post.post as PostRecord), audiences };
  }

  async put(post: Post): Promise<void> {
    const valid = Post.parse(post);
    const { audiences, ...record } = valid;
    await batchPut(this.doc, this.table, [
      { pk: postKey(valid.code), sk: 'POST', gsi1pk: 'POSTS', gsi1sk: valid.code, post: record },
      ...audiences.map((audience) => ({ pk: postKey(valid.code), sk: `AUD#${audience.id}`, audience })),
    ]);
  }

  private async audiences(code: string): Promise<Audience[]> {
    const items = await this.partition(code, 'AUD#');
    return items.map((i) => i.audience as Audience);
  }

  private async partition(code: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': postKey(code), ...(skPrefix ? { ':sk': skPrefix } : {}) },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
