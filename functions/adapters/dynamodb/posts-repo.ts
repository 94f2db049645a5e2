import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Post } from '../../core/model';
import type { PostRepository } from '../../core/ports';
import { queryAll } from './paging';

/**
 * directory table: post  pk=POST#<code> sk=POST  gsi1pk=POSTS gsi1sk=<code>
 * A post carries its audiences (a handful): reading a post, or all ~150, is one
 * request, and a post and its audiences change together.
 */
const key = (code: string) => ({ pk: `POST#${code}`, sk: 'POST' });

export class DynamoPostRepository implements PostRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(): Promise<Post[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'POSTS' },
    });
    return items.map((i) => i.post as Post);
  }

  async get(code: string): Promise<Post | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: key(code) }));
    return out.Item?.post as Post | undefined;
  }

  async put(post: Post): Promise<void> {
    const valid = Post.parse(post);
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...key(valid.code), gsi1pk: 'POSTS', gsi1sk: valid.code, post: valid },
      }),
    );
  }
}
