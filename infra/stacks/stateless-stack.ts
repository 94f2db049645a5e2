import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  ComparisonOperator,
  type MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRecovery, Mfa, UserPool, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ConfigurationSet, EmailIdentity } from 'aws-cdk-lib/aws-ses';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { TableId } from '../../functions/adapters/dynamodb/tables';
import { type HandlerName, ROUTES } from '../../functions/http/routes';
import { MissiveFunction } from '../constructs/missive-function';

export interface StatelessStackProps extends StackProps {
  readonly stage: string;
  readonly domain: string;
  readonly tables: Record<TableId, TableV2>;
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  /** SES publishes its events here (configuration set): the ledger and suppressions listen. */
  readonly sesEventsTopic: Topic;
  /** The account's SES MaxSendRate: sets the send workers' reserved concurrency. */
  readonly sesRate: number;
  /** Where alarms are sent (an email address); none: alarms only show in CloudWatch. */
  readonly alarmEmail?: string;
}

type Access = 'read' | 'write';

/**
 * What each function may touch: tables (read or read-write), queues it sends to,
 * SES. Grants are made from this map only; nothing gets "*" except the two SES
 * actions that have no resource-level permissions (GetSendQuota).
 */
const NEEDS: Record<
  string,
  {
    tables: Partial<Record<TableId, Access>>;
    queues?: ('dispatch' | 'send' | 'crisis')[];
    ses?: 'quota' | 'send';
  }
> = {
  health: { tables: {}, ses: 'quota' },
  posts: { tables: { directory: 'read' } },
  subscriptions: { tables: { subscribers: 'read' } },
  audit: { tables: { audit: 'read' } },
  content: { tables: { content: 'write' } },
  editions: {
    tables: { editions: 'write', directory: 'read', content: 'read', audit: 'write', stats: 'write' },
    queues: ['dispatch'],
    ses: 'send',
  },
  unsubscribe: { tables: { subscribers: 'write', directory: 'read' } },
  reader: { tables: { editions: 'write', directory: 'read', content: 'read' } },
  crisis: {
    tables: { editions: 'write', directory: 'read', audit: 'write', stats: 'write' },
    queues: ['dispatch'],
  },
  'content-sync': { tables: { content: 'write' } },
  scheduler: { tables: { editions: 'write', audit: 'write', stats: 'write' }, queues: ['dispatch'] },
  dispatch: {
    tables: { editions: 'read', subscribers: 'read', stats: 'write' },
    queues: ['dispatch', 'send', 'crisis'],
  },
  layouts: { tables: { directory: 'write' } },
  'ses-events': { tables: { events: 'write', suppressions: 'write' } },
  'send-worker': {
    tables: {
      editions: 'write',
      directory: 'read',
      content: 'read',
      subscribers: 'read',
      suppressions: 'read',
      sends: 'write',
      stats: 'write',
      events: 'read',
    },
    ses: 'send',
  },
};

/** Functions, queues, API, schedules, identity and alarms: replaced freely, holding no data. */
export class StatelessStack extends Stack {
  public readonly functions: Record<string, IFunction> = {};
  public readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const production = stage === 'prod';
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Staff identities: one group per network role; post roles are groups like post-editor:tokyo.
    const userPool = new UserPool(this, 'Staff', {
      userPoolName: `missive-${stage}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: production,
      removalPolicy,
    });
    for (const role of ['admin', 'hq-editor', 'spokesperson', 'analyst'] as const) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool,
        groupName: role,
        description: `missive role ${role}`,
      });
    }
    const client = userPool.addClient('Web', {
      authFlows: { userSrp: true },
      generateSecret: false,
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });

    const signingKeys = new Secret(this, 'SigningKeys', {
      secretName: `missive-${stage}-signing-keys`,
      description: 'HMAC key for subscribers\' links: {"kid","secret"} (and "previous" during a rotation)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ kid: 'k1' }),
        generateStringKey: 'secret',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy,
    });

    const queue = (name: string, visibility: Duration) => {
      const dlq = new Queue(this, `${name}Dlq`, {
        queueName: `missive-${stage}-${name}-dlq`,
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const q = new Queue(this, name, {
        queueName: `missive-${stage}-${name}`,
        visibilityTimeout: visibility,
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: dlq, maxReceiveCount: name === 'dispatch' ? 5 : 10 },
      });
      return { q, dlq };
    };
    // Visibility: six times the consumer's timeout, as Lambda's SQS source recommends.
    const queues = {
      dispatch: queue('dispatch', Duration.minutes(30)),
      send: queue('send', Duration.minutes(30)),
      crisis: queue('crisis', Duration.minutes(30)),
    };
    // Reserved concurrency of the workers: each takes rate/N of the account's MaxSendRate.
    const sendWorkers = Math.max(2, Math.min(50, Math.ceil(props.sesRate / 25)));

    this.api = new HttpApi(this, 'Api', {
      apiName: `missive-${stage}`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type'],
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    const apiStage = new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            route: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
          }),
        ),
      },
    });
    void apiStage;
    const publicBaseUrl = String(this.node.tryGetContext('publicBaseUrl') ?? this.api.apiEndpoint);

    const environment: Record<string, string> = {
      MISSIVE_STAGE: stage,
      MISSIVE_TABLE_PREFIX: `missive-${stage}-`,
      MISSIVE_SENDER: `newsletter@${props.domain}`,
      MISSIVE_SES_CONFIGURATION_SET: props.configurationSet.configurationSetName,
      MISSIVE_PUBLIC_BASE_URL: publicBaseUrl,
      MISSIVE_SIGNING_KEYS_SECRET_ARN: signingKeys.secretArn,
      MISSIVE_COGNITO_USER_POOL_ID: userPool.userPoolId,
      MISSIVE_COGNITO_CLIENT_IDS: client.userPoolClientId,
      MISSIVE_DISPATCH_QUEUE_URL: queues.dispatch.q.queueUrl,
      MISSIVE_SEND_QUEUE_URL: queues.send.q.queueUrl,
      MISSIVE_CRISIS_QUEUE_URL: queues.crisis.q.queueUrl,
      MISSIVE_SEND_WORKERS: String(sendWorkers),
    };

    const make = (
      name: string,
      extra: { memorySize?: number; timeout?: Duration; reserved?: number } = {},
    ) => {
      const f = new MissiveFunction(this, `Fn-${name}`, {
        handler: name,
        environment,
        removalPolicy,
        ...(extra.memorySize ? { memorySize: extra.memorySize } : {}),
        ...(extra.timeout ? { timeout: extra.timeout } : {}),
        ...(extra.reserved ? { reservedConcurrentExecutions: extra.reserved } : {}),
      }).fn;
      const needs = NEEDS[name] ?? { tables: {} };
      for (const [tableId, access] of Object.entries(needs.tables) as [TableId, Access][]) {
        if (access === 'write') props.tables[tableId].grantReadWriteData(f);
        else props.tables[tableId].grantReadData(f);
      }
      for (const q of needs.queues ?? []) queues[q].q.grantSendMessages(f);
      if (name === 'health') {
        for (const t of Object.values(props.tables))
          f.addToRolePolicy(
            new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [t.tableArn] }),
          );
      }
      if (needs.ses) {
        f.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }));
      }
      if (needs.ses === 'send') {
        f.addToRolePolicy(
          new PolicyStatement({
            actions: ['ses:SendRawEmail'],
            resources: [
              this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.domain }),
              this.formatArn({
                service: 'ses',
                resource: 'configuration-set',
                resourceName: props.configurationSet.configurationSetName,
              }),
            ],
          }),
        );
      }
      signingKeys.grantRead(f);
      this.functions[name] = f;
      return f;
    };

    // HTTP: one function per handler of the route table; staff routes behind the Cognito JWT authorizer.
    const authorizer = new HttpJwtAuthorizer(
      'Staff',
      `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`,
      {
        jwtAudience: [client.userPoolClientId],
      },
    );
    const handlers = [...new Set(ROUTES.map((r) => r.handler))] as HandlerName[];
    for (const h of handlers) {
      const f = make(h, h === 'editions' || h === 'reader' ? { memorySize: 1024 } : {});
      const integration = new HttpLambdaIntegration(`Int-${h}`, f);
      for (const route of ROUTES.filter((r) => r.handler === h)) {
        this.api.addRoutes({
          path: route.path,
          methods: [route.method as HttpMethod],
          integration,
          ...(route.access.kind === 'staff' ? { authorizer } : {}),
        });
      }
    }

    // Queues and schedules.
    const dispatch = make('dispatch', { timeout: Duration.minutes(5), memorySize: 1024 });
    dispatch.addEventSource(
      new SqsEventSource(queues.dispatch.q, { batchSize: 1, reportBatchItemFailures: true }),
    );
    const worker = make('send-worker', {
      timeout: Duration.minutes(5),
      memorySize: 1024,
      reserved: sendWorkers,
    });
    for (const q of [queues.crisis.q, queues.send.q]) {
      worker.addEventSource(new SqsEventSource(q, { batchSize: 2, reportBatchItemFailures: true }));
    }
    const scheduler = make('scheduler', { timeout: Duration.minutes(1) });
    new Rule(this, 'EveryMinute', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(scheduler)],
    });
    const sesEvents = make('ses-events', { timeout: Duration.minutes(1) });
    props.sesEventsTopic.addSubscription(new LambdaSubscription(sesEvents));
    const contentSync = make('content-sync', { timeout: Duration.minutes(5) });
    new Rule(this, 'ContentSync', {
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(contentSync)],
    });

    // Alarms: dead letters, worker errors and throttles, SES reputation.
    const alarmTopic = new Topic(this, 'Alarms', {
      topicName: `missive-${stage}-alarms`,
      masterKey: Alias.fromAliasName(this, 'AlarmKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    const email = props.alarmEmail;
    if (email)
      new Subscription(this, 'AlarmMail', {
        topic: alarmTopic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: email,
      });
    const action = new SnsAction(alarmTopic);
    const alarm = (id: string, metric: Metric | MathExpression, threshold: number, description: string) =>
      new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(action);
    for (const [name, { dlq }] of Object.entries(queues)) {
      alarm(
        `Dlq-${name}`,
        dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        0,
        `messages in the ${name} dead-letter queue`,
      );
    }
    alarm('WorkerErrors', worker.metricErrors({ period: Duration.minutes(5) }), 5, 'send worker errors');
    alarm(
      'WorkerThrottles',
      worker.metricThrottles({ period: Duration.minutes(5) }),
      10,
      'send worker throttled by Lambda',
    );
    alarm('DispatchErrors', dispatch.metricErrors({ period: Duration.minutes(5) }), 0, 'dispatch errors');
    const reputation = (name: string) =>
      new Metric({ namespace: 'AWS/SES', metricName: name, period: Duration.hours(1), statistic: 'Maximum' });
    alarm(
      'BounceRate',
      reputation('Reputation.BounceRate'),
      0.04,
      'SES bounce rate over 4% (SES reviews accounts at 5%)',
    );
    alarm(
      'ComplaintRate',
      reputation('Reputation.ComplaintRate'),
      0.002,
      'complaint rate over 0.2% (Gmail and Yahoo require under 0.3%)',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
  }
}
