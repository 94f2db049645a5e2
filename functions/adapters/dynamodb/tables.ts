/**
 * The one definition of every DynamoDB table. The CDK stack (infra/) and the local
 * stack (functions/local/) both build their tables from this list; nothing else
 * describes a table. The access pattern each key and index serves is written down
 * in docs/data-model.md.
 */

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** ALL unless the index only needs to point back at the base item. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export interface TableDefinition {
  readonly id: string;
  readonly purpose: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes: readonly IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, when items expire (raw events). */
  readonly ttlAttribute?: string;
}

import type { TableId } from '../../config/table-names';

const s = (name: string): KeyAttribute => ({ name, type: 'S' });

export const TABLES = {
  directory: {
    id: 'directory',
    purpose: 'Posts and their audiences.',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [{ name: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk'), projection: 'ALL' }],
  },
  subscribers: {
    id: 'subscribers',
    purpose: 'Subscriber profiles, email claims and subscriptions (subscriber x post audience).',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [
      // Confirmed members of one post audience in one language: what a variant is sent to.
      { name: 'members', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk'), projection: 'ALL' },
      // A post's subscriptions by status: list, count and export within one post.
      { name: 'byPost', partitionKey: s('gsi2pk'), sortKey: s('gsi2sk'), projection: 'ALL' },
    ],
    // Pending subscriptions never confirmed expire (and rate-limit items with them).
    ttlAttribute: 'expiresAt',
  },
  suppressions: {
    id: 'suppressions',
    purpose: 'Addresses that must never be mailed again (bounce, complaint, manual), network-wide.',
    partitionKey: s('pk'),
    indexes: [{ name: 'byReason', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk'), projection: 'ALL' }],
  },
  content: {
    id: 'content',
    purpose: 'Central content items pulled from the feeds, and the state of each feed source.',
    partitionKey: s('pk'),
    indexes: [
      { name: 'byLanguage', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk'), projection: 'ALL' },
      { name: 'byLanguageKind', partitionKey: s('gsi2pk'), sortKey: s('gsi2sk'), projection: 'ALL' },
    ],
  },
  editions: {
    id: 'editions',
    purpose: 'Editions, their variants, rendered output and audit trail.',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [
      { name: 'byPost', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk'), projection: 'ALL' },
      // Sparse: only scheduled editions carry gsi2pk, so the scheduler reads just those.
      { name: 'due', partitionKey: s('gsi2pk'), sortKey: s('gsi2sk'), projection: 'KEYS_ONLY' },
    ],
  },
  sends: {
    id: 'sends',
    purpose: 'One send record per edition x recipient, claimed before the SES call.',
    // The key is editionId#subscriberId: writes spread over partitions at full send rate.
    partitionKey: s('pk'),
    indexes: [
      // Sparse: only failed sends are indexed, to list and retry them per edition.
      { name: 'failures', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk'), projection: 'ALL' },
    ],
  },
  stats: {
    id: 'stats',
    purpose: 'Sharded counters per scope (edition, post/month, audience, network).',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [],
  },
  events: {
    id: 'events',
    purpose: 'Raw engagement events (delivery, bounce, complaint, open, click), expiring after retention.',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [],
    ttlAttribute: 'expiresAt',
  },
  audit: {
    id: 'audit',
    purpose:
      'Who created, approved, scheduled, sent or cancelled which edition, and who exported which report.',
    // pk: POST#<code> or NETWORK; sk: <at>#<entry id>. Newest first per post.
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [{ name: 'byActor', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk'), projection: 'ALL' }],
  },
} as const satisfies Record<TableId, TableDefinition>;

export {
  physicalTableName,
  TABLE_IDS,
  type TableId,
  type TableNames,
  tableNames,
} from '../../config/table-names';
