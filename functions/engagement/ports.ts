import type { Suppression } from '../core/model';

/** The ledger of accepted sends, written from SES Send events (read by the send worker). */
export interface AcceptedSends {
  record(editionId: string, subscriberId: string, messageId: string, expiresAt: number): Promise<void>;
}

export interface Suppressions {
  put(suppression: Suppression): Promise<void>;
}
