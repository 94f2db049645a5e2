import { Stack, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableId } from '../../functions/adapters/dynamodb/tables';
import { MissiveTables } from '../constructs/tables';

export interface StatefulStackProps extends StackProps {
  readonly stage: string;
}

/**
 * What holds data and must outlive deployments: the tables. The stateless stack
 * (functions, queues, API, schedules) receives them and is added by the
 * infrastructure issue.
 */
export class StatefulStack extends Stack {
  public readonly tables: Record<TableId, TableV2>;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.tables = new MissiveTables(this, 'Tables', {
      tablePrefix: `missive-${props.stage}-`,
      production: props.stage === 'prod',
    }).tables;
  }
}
