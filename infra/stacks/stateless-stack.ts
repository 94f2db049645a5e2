import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ConfigurationSet, EmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { TableId } from '../../functions/adapters/dynamodb/tables';
import { ROUTES } from '../../functions/http/routes';
import type { FunctionName } from '../constructs/function-needs';
import { RouteTableApi } from '../constructs/route-table-api';
import { SendPipeline } from '../constructs/send-pipeline';
import { ServiceAlarms } from '../constructs/service-alarms';
import { ServiceFunctions } from '../constructs/service-functions';
import { StaffIdentity } from '../constructs/staff-identity';
import { WebApp } from '../constructs/web-app';

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

/**
 * Functions, queues, API, schedules, identity, the web app and alarms: replaced
 * freely, holding no data. The constructs build in this stack's scope, so their resources keep the
 * logical ids they had before the stack was split into them.
 */
export class StatelessStack extends Stack {
  public readonly functions: Record<FunctionName, IFunction>;
  public readonly api: RouteTableApi;
  public readonly webApp: WebApp;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const production = stage === 'prod';
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // The client's callback URL is the app's address, known once the distribution
    // (which fronts the API built below) exists: read at synth time.
    const staff = new StaffIdentity(this, {
      stage,
      production,
      appUrl: Lazy.string({ produce: () => this.webApp.url }),
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
    const pipeline = new SendPipeline(this, { stage, sesRate: props.sesRate });
    this.api = new RouteTableApi(this, {
      stage,
      issuer: staff.issuer,
      audience: [staff.client.userPoolClientId],
      removalPolicy,
    });
    // -c appDomain=staff.example.org -c appCertificateArn=arn:aws:acm:us-east-1:...: the
    // app on a domain of our own, TLS 1.2 or later.
    const appDomain = this.node.tryGetContext('appDomain') as string | undefined;
    const appCertificateArn = this.node.tryGetContext('appCertificateArn') as string | undefined;
    if (Boolean(appDomain) !== Boolean(appCertificateArn)) {
      throw new Error('context appDomain and appCertificateArn go together (the certificate in us-east-1)');
    }
    this.webApp = new WebApp(this, 'WebApp', {
      stage,
      production,
      api: this.api.api,
      signIn: {
        authority: staff.domain.baseUrl(),
        clientId: staff.client.userPoolClientId,
        scopes: 'openid email profile',
      },
      ...(appDomain && appCertificateArn
        ? { customDomain: { domainName: appDomain, certificateArn: appCertificateArn } }
        : {}),
    });
    const publicBaseUrl = String(this.node.tryGetContext('publicBaseUrl') ?? this.api.api.apiEndpoint);
    // An SNS topic (often another account's) subscribed over HTTPS to POST /ses/events; unset: the route refuses.
    const sesEventsTopicArn = this.node.tryGetContext('sesEventsTopicArn') as string | undefined;

    const functions = new ServiceFunctions(this, {
      environment: {
        MISSIVE_STAGE: stage,
        MISSIVE_TABLE_PREFIX: `missive-${stage}-`,
        MISSIVE_SENDER: `newsletter@${props.domain}`,
        MISSIVE_SES_CONFIGURATION_SET: props.configurationSet.configurationSetName,
        MISSIVE_PUBLIC_BASE_URL: publicBaseUrl,
        // The report digest links each figure to its page in the staff web app.
        MISSIVE_APP_URL: this.webApp.url,
        MISSIVE_SIGNING_KEYS_SECRET_ARN: signingKeys.secretArn,
        MISSIVE_COGNITO_USER_POOL_ID: staff.userPool.userPoolId,
        MISSIVE_COGNITO_CLIENT_IDS: staff.client.userPoolClientId,
        MISSIVE_DISPATCH_QUEUE_URL: pipeline.queues.dispatch.queueUrl,
        MISSIVE_SEND_QUEUE_URL: pipeline.queues.send.queueUrl,
        MISSIVE_CRISIS_QUEUE_URL: pipeline.queues.crisis.queueUrl,
        MISSIVE_ENGAGEMENT_QUEUE_URL: pipeline.queues.engagement.queueUrl,
        MISSIVE_SEND_WORKERS: String(pipeline.sendWorkers),
        ...(sesEventsTopicArn ? { MISSIVE_SES_EVENTS_TOPIC_ARN: sesEventsTopicArn } : {}),
      },
      tables: props.tables,
      queues: pipeline.queues,
      domain: props.domain,
      configurationSetName: props.configurationSet.configurationSetName,
      signingKeys,
      removalPolicy,
    });
    // Editions and the web version render MJML: more memory, and so more CPU.
    this.api.addRouteTable(ROUTES, (h) =>
      functions.add(h, h === 'editions' || h === 'reader' ? { memorySize: 1024 } : {}),
    );
    const { dispatch, worker } = pipeline.addFunctions(functions.add, props.sesEventsTopic);
    const contentSync = functions.add('content-sync', { timeout: Duration.minutes(5) });
    new Rule(this, 'ContentSync', {
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(contentSync)],
    });
    // The monthly digest on the first working day: cron cannot say it, so the rule runs
    // on days 1 to 4 and the function decides (reports/digest.ts isFirstWorkingDay).
    const reportDigest = functions.add('report-digest', { timeout: Duration.minutes(15) });
    new Rule(this, 'ReportDigest', {
      schedule: Schedule.cron({ minute: '0', hour: '6', day: '1-4' }),
      targets: [new LambdaFunction(reportDigest)],
    });
    this.functions = functions.all();

    new ServiceAlarms(this, {
      stage,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
      deadLetterQueues: pipeline.deadLetterQueues,
      worker,
      dispatch,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.apiEndpoint });
    new CfnOutput(this, 'WebAppUrl', { value: this.webApp.url });
    new CfnOutput(this, 'UserPoolId', { value: staff.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: staff.client.userPoolClientId });
  }
}
