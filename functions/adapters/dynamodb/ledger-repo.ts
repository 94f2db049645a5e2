import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SendLedger } from '../../sending/ports';

/**
 * events table: pk=<editionId>#<subscriberId> sk=ACCEPTED, written when SES's Send
 * event for that message arrives (tags edition and recipient); read by the worker
 * to settle a claim whose outcome a crash left unknown.
 */
export class DynamoSendLedger implements SendLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async accepted(editionId: string, subscriberId: string): Promise<string | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `${editionId}#${subscriberId}`, sk: 'ACCEPTED' } }),
    );
    return out.Item?.messageId as string | undefined;
  }

  async record(editionId: string, subscriberId: string, messageId: string, expiresAt: number): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `${editionId}#${subscriberId}`, sk: 'ACCEPTED', messageId, expiresAt },
      }),
    );
  }
}
