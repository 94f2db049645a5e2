import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { TableId } from '../../functions/adapters/dynamodb/tables';
import { MissiveTables } from '../constructs/tables';

export interface StatefulStackProps extends StackProps {
  readonly stage: string;
  /** The sending domain (context -c domain=...): SES identity with DKIM. */
  readonly domain: string;
}

/**
 * What holds data or reputation and must outlive deployments: the tables, the SES
 * identity and configuration set, and the topic SES publishes its events to. The
 * stateless stack (functions, queues, API, schedules) receives them.
 */
export class StatefulStack extends Stack {
  public readonly tables: Record<TableId, TableV2>;
  public readonly configurationSet: ConfigurationSet;
  public readonly sesEventsTopic: Topic;
  public readonly identity: EmailIdentity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const production = props.stage === 'prod';
    this.tables = new MissiveTables(this, 'Tables', {
      tablePrefix: `missive-${props.stage}-`,
      production,
    }).tables;

    this.sesEventsTopic = new Topic(this, 'SesEvents', {
      topicName: `missive-${props.stage}-ses-events`,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: `missive-${props.stage}`,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      // Bounces and complaints are suppressed account-wide too, on top of our own list.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToSns', {
      destination: EventDestination.snsTopic(this.sesEventsTopic),
    });
    this.identity = new EmailIdentity(this, 'Domain', {
      identity: Identity.domain(props.domain),
      configurationSet: this.configurationSet,
    });
    this.identity.applyRemovalPolicy(production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  }
}
