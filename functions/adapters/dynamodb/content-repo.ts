import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ContentItem } from '../../content/content';
import type { ContentQuery, ContentRepository, SourceState } from '../../content/ports';
import type { Language } from '../../core/model';
import type { Page } from '../../core/ports';
import { batchGetAll, batchPut, clampLimit, decodeCursor, encodeCursor, keyAttributes } from './paging';
import { TABLES } from './tables';

/**
 * content table:
 *   item    pk=ITEM#<id>  gsi1pk=LANG#<lang> gsi1sk=<publishedAt>#<id>            (byLanguage)
 *                         gsi2pk=LANG#<lang>#<kind> gsi2sk=<date>#<id>           (byLanguageKind;
 *                         date = event start for events, else publishedAt)
 *   source  pk=SOURCE#<lang>
 */
const itemKey = (id: string) => `ITEM#${id}`;

const toRecord = (item: ContentItem) => ({
  pk: itemKey(item.id),
  gsi1pk: `LANG#${item.language}`,
  gsi1sk: `${item.publishedAt}#${item.id}`,
  gsi2pk: `LANG#${item.language}#${item.kind}`,
  gsi2sk: `${item.event?.start ?? item.publishedAt}#${item.id}`,
  // Lower-cased copy for the title filter (DynamoDB's contains() is case-sensitive).
  titleLower: item.title.toLowerCase(),
  item,
});

export class DynamoContentRepository implements ContentRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async existing(ids: readonly string[]): Promise<Map<string, { fingerprint: string; firstSeenAt: string }>> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      ids.map((id) => ({ pk: itemKey(id) })),
      { projection: '#i.id, #i.fingerprint, #i.firstSeenAt', names: { '#i': 'item' } },
    );
    return new Map(
      items.map((r) => {
        const it = r.item as Pick<ContentItem, 'id' | 'fingerprint' | 'firstSeenAt'>;
        return [it.id, { fingerprint: it.fingerprint, firstSeenAt: it.firstSeenAt }];
      }),
    );
  }

  async putItems(items: readonly ContentItem[]): Promise<void> {
    await batchPut(this.doc, this.table, items.map(toRecord));
  }

  async get(id: string): Promise<ContentItem | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: itemKey(id) } }));
    return out.Item?.item as ContentItem | undefined;
  }

  async query(q: ContentQuery): Promise<Page<ContentItem>> {
    const byKind = q.kind !== undefined;
    const [pkName, skName] = byKind ? ['gsi2pk', 'gsi2sk'] : ['gsi1pk', 'gsi1sk'];
    const range =
      q.from && q.to
        ? ` AND ${skName} BETWEEN :from AND :to`
        : q.from
          ? ` AND ${skName} >= :from`
          : q.to
            ? ` AND ${skName} <= :to`
            : '';
    const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const values: Record<string, unknown> = {
      ':pk': byKind ? `LANG#${q.language}#${q.kind}` : `LANG#${q.language}`,
      ...(q.from ? { ':from': q.from } : {}),
      // "to" is inclusive of the whole day/time given: every key starting with it sorts before this.
      ...(q.to ? { ':to': `${q.to}\uffff` } : {}),
      ...Object.fromEntries(words.map((w, i) => [`:w${i}`, w])),
    };
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: byKind ? 'byLanguageKind' : 'byLanguage',
        KeyConditionExpression: `${pkName} = :pk${range}`,
        ...(words.length
          ? { FilterExpression: words.map((_, i) => `contains(titleLower, :w${i})`).join(' AND ') }
          : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: clampLimit(q.limit, 20, 200),
        ExclusiveStartKey: decodeCursor(q.cursor, {
          attributes: keyAttributes(TABLES.content, byKind ? 'byLanguageKind' : 'byLanguage'),
          partition: { name: pkName, value: values[':pk'] as string },
          sort: {
            name: skName,
            ...(q.from ? { from: q.from } : {}),
            ...(q.to ? { to: values[':to'] as string } : {}),
          },
        }),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map((i) => i.item as ContentItem), ...(cursor ? { cursor } : {}) };
  }

  async getSource(language: Language): Promise<SourceState | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `SOURCE#${language}` } }),
    );
    return out.Item?.state as SourceState | undefined;
  }

  async putSource(state: SourceState): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { pk: `SOURCE#${state.language}`, state } }),
    );
  }
}
