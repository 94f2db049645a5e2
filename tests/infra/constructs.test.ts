import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition } from '../../functions/http/routes';
import {
  type BackgroundFunctionName,
  FUNCTION_NAMES,
  type FunctionNeeds,
  type HttpFunctionName,
  NEEDS,
  QUEUE_NAMES,
} from '../../infra/constructs/function-needs';
import { RouteTableApi } from '../../infra/constructs/route-table-api';
import { SendPipeline } from '../../infra/constructs/send-pipeline';
import { ServiceAlarms } from '../../infra/constructs/service-alarms';
import { type FunctionSizing, ServiceFunctions } from '../../infra/constructs/service-functions';
import { StaffIdentity } from '../../infra/constructs/staff-identity';
import { MissiveTables } from '../../infra/constructs/tables';

// Bundling is skipped (esbuild runs in `cdk synth`).
const newStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test');
/** A small inline function in place of a bundled one, sized as asked. */
const inlineFunctions =
  (stack: Stack) =>
  (name: string, sizing: FunctionSizing = {}) =>
    new LambdaFunction(stack, `Fn-${name}`, {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => ({})'),
      ...sizing,
    });

describe('function names and needs', () => {
  it('names every handler of the route table and the background functions, each a file under functions/handlers/', () => {
    const http = [...new Set(ROUTES.map((r) => r.handler))];
    const background: BackgroundFunctionName[] = [
      'dispatch',
      'send-worker',
      'scheduler',
      'ses-events',
      'content-sync',
      'report-digest',
    ];
    expect([...FUNCTION_NAMES].sort()).toEqual([...http, ...background].sort());
    for (const name of FUNCTION_NAMES) {
      expect(existsSync(join(import.meta.dirname, '../../functions/handlers', `${name}.ts`)), name).toBe(
        true,
      );
    }
  });

  it('does not compile a needs map that leaves a function out (it would deploy with no grants)', () => {
    const { layouts, ...others } = NEEDS;
    // @ts-expect-error: the map is keyed by every function name; 'layouts' is missing.
    const incomplete: typeof NEEDS = others;
    const needs: FunctionNeeds = layouts;
    expect(Object.keys(incomplete)).not.toContain('layouts');
    expect(needs.tables).toEqual({ directory: 'write' });
  });

  it('fails the synth naming a function that has needs but was never made', () => {
    const stack = newStack();
    const functions = new ServiceFunctions(stack, {
      environment: {},
      tables: new MissiveTables(stack, 'Tables', { tablePrefix: 't-', production: false }).tables,
      queues: {
        dispatch: new Queue(stack, 'd'),
        send: new Queue(stack, 's'),
        crisis: new Queue(stack, 'c'),
        engagement: new Queue(stack, 'e'),
      },
      domain: 'news.example.org',
      configurationSetName: 'cs',
      signingKeys: new Secret(stack, 'Keys'),
    });
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'scheduler' && n !== 'layouts'))
      functions.add(name);
    expect(() => functions.all()).toThrow('functions with needs but no Lambda: scheduler, layouts');
    functions.add('scheduler');
    functions.add('layouts');
    expect(Object.keys(functions.all()).sort()).toEqual([...FUNCTION_NAMES].sort());
  });
});

const APP_URL = 'https://d111111abcdef8.cloudfront.net/app/';

describe('StaffIdentity', () => {
  it('requires MFA, has no self sign-up, one group per network role and an SRP client without secret', () => {
    const stack = newStack();
    new StaffIdentity(stack, { stage: 'dev', appUrl: APP_URL });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'missive-dev-staff',
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14 }) },
    });
    const groups = Object.values(t.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => (g as { Properties: { GroupName: string } }).Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'analyst', 'hq-editor', 'spokesperson']);
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
      AccessTokenValidity: 60,
      // A working day of renewals, revocable at sign-out (app/src/auth.ts).
      RefreshTokenValidity: 720,
      EnableTokenRevocation: true,
    });
  });

  it("signs in through the hosted UI: authorization code only, a public client, back to the app's address", () => {
    const stack = newStack();
    new StaffIdentity(stack, { stage: 'dev', appUrl: APP_URL });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['missive-dev-'])] }),
    });
    const clients = Object.values(t.findResources('AWS::Cognito::UserPoolClient')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(clients).toHaveLength(1);
    const client = clients[0]?.Properties ?? {};
    // Code only: no implicit grant (tokens in URLs), no client credentials.
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    // PKCE is what keeps a public client's code safe: a client with a secret could not run in a browser.
    expect(client.GenerateSecret).toBe(false);
    expect([...(client.AllowedOAuthScopes as string[])].sort()).toEqual(['email', 'openid', 'profile']);
    expect(client.CallbackURLs).toEqual([APP_URL]);
    expect(client.LogoutURLs).toEqual([APP_URL]);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('can go with the stack by default; in production it is kept and protected from deletion', () => {
    const dev = newStack();
    new StaffIdentity(dev, { stage: 'dev', appUrl: APP_URL });
    Template.fromStack(dev).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
    const prod = newStack();
    new StaffIdentity(prod, { stage: 'prod', production: true, appUrl: APP_URL });
    Template.fromStack(prod).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });
});

describe('RouteTableApi', () => {
  const routes: readonly RouteDefinition[] = [
    ROUTES.find((r) => r.access.kind === 'public' && r.handler === 'health'),
    ...ROUTES.filter((r) => r.handler === 'posts'),
  ].filter((r): r is RouteDefinition => r !== undefined);

  it('routes each route to its handler, staff routes behind the JWT authorizer, with one function per handler', () => {
    const stack = newStack();
    const api = new RouteTableApi(stack, {
      stage: 'dev',
      issuer: 'https://issuer.example.org',
      audience: ['client-1'],
    });
    const made: HttpFunctionName[] = [];
    const make = inlineFunctions(stack);
    api.addRouteTable(routes, (h) => {
      made.push(h);
      return make(h);
    });
    const t = Template.fromStack(stack);
    expect(made).toEqual(['health', 'posts']);
    t.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /health',
      AuthorizationType: 'NONE',
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /posts', AuthorizationType: 'JWT' });
    t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://issuer.example.org', Audience: ['client-1'] },
    });
  });

  it('throttles at 200 requests/s (burst 400) unless told otherwise, and logs access', () => {
    const stack = newStack();
    new RouteTableApi(stack, { stage: 'dev', issuer: 'https://i', audience: ['c'] });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const slower = newStack();
    new RouteTableApi(slower, {
      stage: 'dev',
      issuer: 'https://i',
      audience: ['c'],
      throttle: { rateLimit: 20, burstLimit: 40 },
    });
    Template.fromStack(slower).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });
});

describe('SendPipeline', () => {
  it('reserves between 2 and 50 send workers, about one per 25 messages/s of SES rate', () => {
    const workers = (sesRate: number) => new SendPipeline(newStack(), { stage: 'dev', sesRate }).sendWorkers;
    expect(workers(1)).toBe(2);
    expect(workers(100)).toBe(4);
    expect(workers(101)).toBe(5);
    expect(workers(10_000)).toBe(50);
  });

  it('has each queue with a dead-letter queue; visibility six times the consumers’ timeout', () => {
    const stack = newStack();
    new SendPipeline(stack, { stage: 'dev', sesRate: 14 });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SQS::Queue', QUEUE_NAMES.length * 2);
    for (const [name, receives] of [
      ['dispatch', 5],
      ['send', 10],
      ['crisis', 10],
    ] as const) {
      t.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `missive-dev-${name}`,
        VisibilityTimeout: 1800,
        SqsManagedSseEnabled: true,
        RedrivePolicy: Match.objectLike({ maxReceiveCount: receives }),
      });
      t.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `missive-dev-${name}-dlq`,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    }
  });

  it('wires dispatch to its queue, the workers to the send and crisis queues, the scheduler every minute and SES events to the topic', () => {
    const stack = newStack();
    const pipeline = new SendPipeline(stack, { stage: 'dev', sesRate: 100 });
    const made = pipeline.addFunctions(inlineFunctions(stack), new Topic(stack, 'SesEvents'));
    const t = Template.fromStack(stack);
    const fnRef = (f: typeof made.dispatch) => ({
      Ref: stack.getLogicalId(f.node.defaultChild as CfnElement),
    });
    const queueArn = (name: (typeof QUEUE_NAMES)[number]) => ({
      'Fn::GetAtt': [stack.getLogicalId(pipeline.queues[name].node.defaultChild as CfnElement), 'Arn'],
    });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: fnRef(made.dispatch),
      EventSourceArn: queueArn('dispatch'),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    for (const q of ['send', 'crisis'] as const) {
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: fnRef(made.worker),
        EventSourceArn: queueArn(q),
        BatchSize: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    t.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 4,
      Timeout: Duration.minutes(5).toSeconds(),
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnRef(made.scheduler).Ref, 'Arn'] } })],
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: fnRef(made.sesEvents),
      BatchSize: 100,
    });
  });
});

describe('ServiceAlarms', () => {
  const alarmsIn = (email?: string) => {
    const stack = newStack();
    const make = inlineFunctions(stack);
    new ServiceAlarms(stack, {
      stage: 'dev',
      ...(email ? { email } : {}),
      deadLetterQueues: {
        dispatch: new Queue(stack, 'd'),
        send: new Queue(stack, 's'),
        crisis: new Queue(stack, 'c'),
        engagement: new Queue(stack, 'e'),
      },
      worker: make('send-worker'),
      dispatch: make('dispatch'),
    });
    return Template.fromStack(stack);
  };

  it('alarms on each dead-letter queue, dispatch and worker errors, throttles, bounce and complaint rates', () => {
    const t = alarmsIn();
    t.resourceCountIs('AWS::CloudWatch::Alarm', 9);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.04,
      AlarmDescription: 'SES bounce rate over 4% (SES reviews accounts at 5%)',
      AlarmActions: [Match.anyValue()],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Reputation.ComplaintRate',
      Threshold: 0.002,
      AlarmDescription: 'complaint rate over 0.2% (Gmail and Yahoo require under 0.3%)',
    });
  });

  it('mails the alarms only when given an address', () => {
    alarmsIn().resourceCountIs('AWS::SNS::Subscription', 0);
    alarmsIn('ops@example.org').hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
  });
});
