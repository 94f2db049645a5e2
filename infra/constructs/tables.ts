import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  physicalTableName,
  TABLE_IDS,
  TABLES,
  type TableId,
} from '../../functions/adapters/dynamodb/tables';

export interface MissiveTablesProps {
  /** Table names are `<prefix><id>`, the same rule the functions' settings use. */
  readonly tablePrefix: string;
  /** Production keeps its tables when the stack goes and refuses their deletion. */
  readonly production: boolean;
}

const attr = (k: KeyAttribute) => ({
  name: k.name,
  type: k.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** Every table of functions/adapters/dynamodb/tables.ts, as DynamoDB tables on AWS. */
export class MissiveTables extends Construct {
  public readonly tables: Record<TableId, TableV2>;

  constructor(scope: Construct, id: string, props: MissiveTablesProps) {
    super(scope, id);
    const entries = TABLE_IDS.map((tableId): [TableId, TableV2] => {
      const def = TABLES[tableId];
      const table = new TableV2(this, tableId, {
        tableName: physicalTableName(props.tablePrefix, tableId),
        partitionKey: attr(def.partitionKey),
        ...('sortKey' in def ? { sortKey: attr(def.sortKey) } : {}),
        billing: Billing.onDemand(),
        encryption: TableEncryptionV2.awsManagedKey(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: props.production,
        removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        ...('ttlAttribute' in def ? { timeToLiveAttribute: def.ttlAttribute } : {}),
        globalSecondaryIndexes: def.indexes.map((index) => ({
          indexName: index.name,
          partitionKey: attr(index.partitionKey),
          ...('sortKey' in index && index.sortKey ? { sortKey: attr(index.sortKey) } : {}),
          projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
        })),
      });
      return [tableId, table];
    });
    this.tables = Object.fromEntries(entries) as Record<TableId, TableV2>;
  }
}
