import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import type { PageRequest } from '../../core/ports';
import type { Edition, EditionSummary, RenderedVariant, VariantLinks } from '../../editions/model';
import { reworded, summarise } from '../../editions/model';
import type { EditionRepository } from '../../editions/ports';
import {
  batchPut,
  clampLimit,
  conditional,
  decodeCursor,
  encodeCursor,
  keyAttributes,
  queryAll,
} from './paging';
import { TABLES } from './tables';

/**
 * editions table:
 *   edition  pk=EDITION#<id> sk=EDITION   (variants inline: one item, so an edition
 *            and its variants change together without a transaction)
 *            gsi1pk=POST#<post> gsi1sk=<createdAt>#<id>           (byPost)
 *            gsi2pk=SCHEDULED gsi2sk=<scheduledAt>#<id>            (due; scheduled only)
 *            gsi2pk=SENDING gsi2sk=<updatedAt>#<id>                (due; sending only)
 *   render   pk=EDITION#<id> sk=RENDER#<audience>#<language>
 *   wording  pk=WORDING#<content item> sk=EDITION#<id>   (post): written when an edition
 *            that puts the item in its own words is saved, so HQ reads an item's few
 *            rewordings with one Query per language, never a scan; never removed (an
 *            edition back to HQ's words is checked and left out by the reader)
 */
const key = (id: string) => ({ pk: `EDITION#${id}`, sk: 'EDITION' });

const record = (e: Edition) => ({
  ...key(e.id),
  gsi1pk: `POST#${e.post}`,
  gsi1sk: `${e.createdAt}#${e.id}`,
  ...(e.status === 'scheduled' && e.scheduledAt
    ? { gsi2pk: 'SCHEDULED', gsi2sk: `${e.scheduledAt}#${e.id}` }
    : {}),
  ...(e.status === 'sending' ? { gsi2pk: 'SENDING', gsi2sk: `${e.updatedAt}#${e.id}` } : {}),
  version: e.version,
  summary: summarise(e),
  edition: e,
});

export class DynamoEditionRepository implements EditionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(edition: Edition): Promise<void> {
    const put = new PutCommand({
      TableName: this.table,
      Item: record(edition),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (!(await conditional(() => this.doc.send(put))))
      throw new ConflictError(`edition ${edition.id} exists`);
    await this.indexWording(edition);
  }

  /** The wording index of an edition just written (editions/wording.ts). */
  private async indexWording(edition: Edition): Promise<void> {
    const items = reworded(edition);
    if (items.length === 0) return;
    await batchPut(
      this.doc,
      this.table,
      items.map((item) => ({ pk: `WORDING#${item}`, sk: `EDITION#${edition.id}`, post: edition.post })),
    );
  }

  async rewording(itemIds: readonly string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const item of new Set(itemIds)) {
      const found = await queryAll(this.doc, {
        TableName: this.table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': `WORDING#${item}` },
        ProjectionExpression: 'sk',
      });
      for (const f of found) ids.add(String(f.sk).slice('EDITION#'.length));
    }
    return [...ids];
  }

  async get(id: string): Promise<Edition | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: key(id) }));
    return out.Item?.edition as Edition | undefined;
  }

  async save(edition: Edition, expectedVersion: number): Promise<void> {
    const put = new PutCommand({
      TableName: this.table,
      Item: record(edition),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    });
    if (!(await conditional(() => this.doc.send(put)))) {
      throw new ConflictError('the edition was changed by someone else meanwhile: reload it and try again');
    }
    await this.indexWording(edition);
  }

  async listByPost(post: string, page: PageRequest = {}) {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byPost',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': `POST#${post}` },
        ProjectionExpression: 'summary, pk, sk, gsi1pk, gsi1sk',
        ScanIndexForward: false,
        Limit: clampLimit(page.limit, 50, 200),
        ExclusiveStartKey: decodeCursor(page.cursor, {
          attributes: keyAttributes(TABLES.editions, 'byPost'),
          partition: { name: 'gsi1pk', value: `POST#${post}` },
        }),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return {
      items: (out.Items ?? []).map((i) => i.summary as EditionSummary),
      ...(cursor ? { cursor } : {}),
    };
  }

  due(now: string): Promise<string[]> {
    return this.fromDueIndex('SCHEDULED', `${now}\uffff`);
  }

  sending(): Promise<string[]> {
    return this.fromDueIndex('SENDING', '\uffff');
  }

  private async fromDueIndex(state: string, upTo: string): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      IndexName: 'due',
      KeyConditionExpression: 'gsi2pk = :s AND gsi2sk <= :upTo',
      ExpressionAttributeValues: { ':s': state, ':upTo': upTo },
    });
    return items.map((i) => String(i.pk).slice('EDITION#'.length));
  }

  async putRender(editionId: string, render: RenderedVariant): Promise<void> {
    const variant = `${render.audience}#${render.language}`;
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `EDITION#${editionId}`, sk: `RENDER#${variant}`, render },
      }),
    );
    // The link targets alone, small: what a click reads (one read unit, not the 30 KB render).
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `EDITION#${editionId}`,
          sk: `LINKS#${variant}`,
          links: render.links,
          linkItems: render.linkItems ?? [],
          revision: render.revision,
        },
      }),
    );
  }

  async getLinks(editionId: string, audience: string, language: string): Promise<VariantLinks | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `EDITION#${editionId}`, sk: `LINKS#${audience}#${language}` },
      }),
    );
    if (!out.Item) return undefined;
    return {
      links: out.Item.links as string[],
      linkItems: (out.Item.linkItems as (string | null)[] | undefined) ?? [],
    };
  }

  async getRender(
    editionId: string,
    audience: string,
    language: string,
  ): Promise<RenderedVariant | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `EDITION#${editionId}`, sk: `RENDER#${audience}#${language}` },
      }),
    );
    return out.Item?.render as RenderedVariant | undefined;
  }
}
