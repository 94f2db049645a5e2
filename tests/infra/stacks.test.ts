import { App, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes';
import { buildApp } from '../../infra/app';
import { FUNCTION_NAMES, type FunctionName, NEEDS } from '../../infra/constructs/function-needs';

// Bundling is skipped here (esbuild runs in `cdk synth`, which CI also runs).
let app: App;
let service: Template;
let data: Template;
let serviceStack: Stack;
let dataStack: Stack;

beforeAll(() => {
  app = buildApp(
    new App({
      context: { stage: 'dev', domain: 'news.example.org', sesRate: 100, 'aws:cdk:bundling-stacks': [] },
    }),
  );
  serviceStack = app.node.findChild('missive-dev-service') as Stack;
  dataStack = app.node.findChild('missive-dev-data') as Stack;
  service = Template.fromStack(serviceStack);
  data = Template.fromStack(dataStack);
});

type Resource = { Properties: Record<string, unknown> };
const policies = (t: Template) =>
  Object.values(t.findResources('AWS::IAM::Policy')) as {
    Properties: {
      Roles: { Ref: string }[];
      PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
    };
  }[];

/**
 * Our functions (MissiveFunction, construct ids Fn-<name>): not aws-cdk-lib's own
 * handlers for the web app's bucket (BucketDeployment, emptying the bucket on delete).
 */
const ownFunctions = () =>
  Object.entries(service.findResources('AWS::Lambda::Function')).filter(([id]) => /^Fn[a-z]/.test(id)) as [
    string,
    Resource,
  ][];

describe('cdk-nag (AwsSolutions)', () => {
  it('leaves no unsuppressed finding in either stack', () => {
    for (const stack of [serviceStack, dataStack]) {
      const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
      const warnings = Annotations.fromStack(stack).findWarning(
        '*',
        Match.stringLikeRegexp('AwsSolutions-.*'),
      );
      expect([...errors, ...warnings].map((e) => e.entry.data)).toEqual([]);
    }
  });
});

describe('HTTP API', () => {
  it('has every route of the route table, staff routes behind the JWT authorizer, public ones open', () => {
    const routes = Object.values(service.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
    for (const r of ROUTES) {
      const found = routes.find((x) => x.Properties.RouteKey === `${r.method} ${r.path}`);
      expect(found, `${r.method} ${r.path}`).toBeDefined();
      expect(found?.Properties.AuthorizationType ?? 'NONE', `${r.method} ${r.path}`).toBe(
        r.access.kind === 'staff' ? 'JWT' : 'NONE',
      );
    }
    expect(routes).toHaveLength(ROUTES.length);
    service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
  });

  it('logs access and throttles the stage', () => {
    service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 200 }),
    });
  });
});

describe('functions', () => {
  it('run nodejs22.x on arm64 with JSON logs and tracing', () => {
    const fns = ownFunctions();
    expect(fns.length).toBeGreaterThan(0);
    for (const [id, fn] of fns) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        LoggingConfig: { LogFormat: 'JSON' },
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('gives the send workers a reserved concurrency derived from the SES rate', () => {
    service.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MISSIVE_SEND_WORKERS: '4' }) },
      ReservedConcurrentExecutions: 4,
    });
  });

  it('grants least privilege: no "*" action anywhere, SES sending only on the identity and configuration set', () => {
    for (const p of policies(service)) {
      for (const s of p.Properties.PolicyDocument.Statement) {
        const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
        expect(actions).not.toContain('*');
        expect(actions.some((a) => a.endsWith(':*'))).toBe(false);
        if (actions.includes('ses:SendRawEmail')) {
          expect(JSON.stringify(s.Resource)).toMatch(/identity\/news\.example\.org/);
          expect(JSON.stringify(s.Resource)).toMatch(/configuration-set\//);
        }
      }
    }
  });

  it('keeps read-only functions read-only (posts cannot write any table)', () => {
    const fns = service.findResources('AWS::Lambda::Function');
    const postsRole = Object.entries(fns).find(([id]) => id.startsWith('Fnposts'))?.[1] as
      | { Properties: { Role: { 'Fn::GetAtt': string[] } } }
      | undefined;
    const roleId = postsRole?.Properties.Role['Fn::GetAtt'][0];
    const mine = policies(service).filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId));
    const actions = mine.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
  });
});

/** The statements of the role of function `name` (construct id Fn-<name>). */
const statementsOf = (name: FunctionName) => {
  const fns = service.findResources('AWS::Lambda::Function');
  const logicalId = new RegExp(`^Fn${name.replace(/[^a-z]/g, '')}Fn[0-9A-F]{8}$`);
  const fn = Object.entries(fns).find(([id]) => logicalId.test(id))?.[1] as
    | { Properties: { Role: { 'Fn::GetAtt': string[] } } }
    | undefined;
  expect(fn, name).toBeDefined();
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  return policies(service)
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .map((s) => ({
      actions: Array.isArray(s.Action) ? s.Action : [s.Action],
      resource: JSON.stringify(s.Resource),
    }));
};
/** Tables (by id, from the cross-stack export names) or queues that statements allowing `action` reach. */
const reached = (statements: ReturnType<typeof statementsOf>, action: string, pattern: RegExp) =>
  [
    ...new Set(
      statements
        .filter((s) => s.actions.includes(action))
        .flatMap((s) => [...s.resource.matchAll(pattern)].map((m) => String(m[1]))),
    ),
  ].sort();
const TABLE_REF = /Tables([a-z]+)[0-9A-F]{8}Arn/g;
const QUEUE_REF = /"(dispatch|send|crisis|engagement)[0-9A-F]{8}"/g;

describe('grants from the needs map', () => {
  it('deploys one function per name of the needs map, and no other', () => {
    expect(ownFunctions()).toHaveLength(FUNCTION_NAMES.length);
    for (const name of FUNCTION_NAMES) statementsOf(name);
  });

  it('gives each function the tables it reads and writes and the queues it sends to, nothing more', () => {
    for (const name of FUNCTION_NAMES) {
      const needs = NEEDS[name];
      const statements = statementsOf(name);
      const tables = Object.entries(needs.tables);
      expect(reached(statements, 'dynamodb:GetItem', TABLE_REF), `${name} reads`).toEqual(
        tables.map(([id]) => id).sort(),
      );
      expect(reached(statements, 'dynamodb:PutItem', TABLE_REF), `${name} writes`).toEqual(
        tables
          .filter(([, access]) => access === 'write')
          .map(([id]) => id)
          .sort(),
      );
      expect(reached(statements, 'sqs:SendMessage', QUEUE_REF), `${name} enqueues`).toEqual(
        [...(needs.queues ?? [])].sort(),
      );
    }
  });

  it('lets only the editions, subscribe, send worker and monthly digest functions send email, and only the people-facing ones (and SES events: a hard bounce unsubscribes) change subscribers', () => {
    const may = (action: string, pattern?: RegExp) =>
      FUNCTION_NAMES.filter((name) =>
        statementsOf(name).some((s) => s.actions.includes(action) && (!pattern || pattern.test(s.resource))),
      ).sort();
    expect(may('ses:SendRawEmail')).toEqual(['editions', 'report-digest', 'send-worker', 'subscribe']);
    expect(may('dynamodb:PutItem', /Tablessubscribers/)).toEqual([
      'ses-events',
      'ses-sns',
      'subscribe',
      'subscribers-admin',
      'subscribers-import',
      'unsubscribe',
    ]);
  });
});

describe('logical ids', () => {
  it('keeps the ids of the user pool, its groups and client, the signing key and the named queues', () => {
    // A changed logical id replaces the resource: the pool would lose every staff account, and the
    // named secret, groups and queues would collide with their predecessors on deploy.
    const ids = (type: string) => Object.keys(service.findResources(type)).sort();
    expect(ids('AWS::Cognito::UserPool')).toEqual(['Staff35CBA1CE']);
    expect(ids('AWS::Cognito::UserPoolClient')).toEqual(['StaffWeb9C086C91']);
    expect(ids('AWS::Cognito::UserPoolGroup')).toEqual([
      'Groupadmin3E985391',
      'Groupanalyst2C005A92',
      'Grouphqeditor3A6E2B0D',
      'Groupspokesperson6C64939C',
    ]);
    expect(ids('AWS::SecretsManager::Secret')).toEqual(['SigningKeysA56F0358']);
    expect(ids('AWS::SQS::Queue')).toEqual([
      'crisis6C47D481',
      'crisisDlq2215A0EE',
      'dispatch5280861B',
      'dispatchDlqB9E83003',
      'engagementA2F13821',
      'engagementDlq17C59700',
      'sendDlq44C89F04',
      'sendF08044C8',
    ]);
  });
});

describe('web app and sign-in', () => {
  const DISTRIBUTION_URL = {
    'Fn::Join': [
      '',
      ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAppDistribution'), 'DomainName'] }, '/app/'],
    ],
  };

  it("sends people back from the hosted UI to the distribution's /app/, with the code grant only", () => {
    service.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      GenerateSecret: false,
      CallbackURLs: [DISTRIBUTION_URL],
      LogoutURLs: [DISTRIBUTION_URL],
    });
    service.hasResourceProperties('AWS::Cognito::UserPoolDomain', { UserPoolId: { Ref: 'Staff35CBA1CE' } });
  });

  it("accepts the web client's access tokens: the JWT authorizer's audience and the functions' client ids", () => {
    service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: Match.objectLike({ Audience: [{ Ref: 'StaffWeb9C086C91' }] }),
    });
    for (const [id, fn] of ownFunctions()) {
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.MISSIVE_COGNITO_CLIENT_IDS, id).toEqual({ Ref: 'StaffWeb9C086C91' });
      // The digest's links point at the deployed app (the distribution's address).
      expect(JSON.stringify(env.MISSIVE_APP_URL), id).toMatch(/DomainName/);
    }
  });

  it('puts the app and the API behind one distribution, with no CORS on the API', () => {
    const config = (
      Object.values(service.findResources('AWS::CloudFront::Distribution'))[0] as {
        Properties: {
          DistributionConfig: {
            Origins: { DomainName: unknown }[];
            CacheBehaviors: { PathPattern: string }[];
          };
        };
      }
    ).Properties.DistributionConfig;
    expect(JSON.stringify(config.Origins)).toContain('{"Ref":"ApiF70053CD"},".execute-api."');
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/app/*']);
    service.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });
});

describe('queues, schedules and alarms', () => {
  it('has send, crisis, dispatch and engagement queues with dead-letter queues, encrypted, SSL only', () => {
    for (const name of ['send', 'crisis', 'dispatch', 'engagement']) {
      service.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: `missive-dev-${name}`,
        SqsManagedSseEnabled: true,
        RedrivePolicy: Match.objectLike({ maxReceiveCount: Match.anyValue() }),
      });
      service.hasResourceProperties('AWS::SQS::Queue', { QueueName: `missive-dev-${name}-dlq` });
    }
    service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('runs the scheduler every minute and the content sync every hour', () => {
    service.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    service.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
  });

  it('runs the monthly digest at 06:00 UTC on days 1 to 4 (the function keeps the first working day)', () => {
    service.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 6 1-4 * ? *)' });
  });

  it('alarms on dead letters, worker errors, bounce and complaint rates', () => {
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const names = alarms.map((a) => String(a.Properties.MetricName ?? ''));
    expect(names.filter((n) => n === 'ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    expect(names).toContain('Errors');
    expect(names).toContain('Reputation.BounceRate');
    expect(names).toContain('Reputation.ComplaintRate');
  });
});

describe('SES events', () => {
  it('subscribes the engagement queue to the topic the configuration set publishes to (raw delivery), consumed in batches', () => {
    service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
    service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('stateful stack', () => {
  it('has the SES configuration set publishing events to SNS, and the DKIM domain identity', () => {
    data.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'missive-dev' });
    data.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ SnsDestination: Match.anyValue(), Enabled: true }),
    });
    data.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'news.example.org' });
  });
});
