import { App, type Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes';
import { buildApp } from '../../infra/app';

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
    service.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      TracingConfig: { Mode: 'Active' },
    });
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

describe('queues, schedules and alarms', () => {
  it('has send, crisis and dispatch queues with dead-letter queues, encrypted, SSL only', () => {
    for (const name of ['send', 'crisis', 'dispatch']) {
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

  it('alarms on dead letters, worker errors, bounce and complaint rates', () => {
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const names = alarms.map((a) => String(a.Properties.MetricName ?? ''));
    expect(names.filter((n) => n === 'ApproximateNumberOfMessagesVisible')).toHaveLength(3);
    expect(names).toContain('Errors');
    expect(names).toContain('Reputation.BounceRate');
    expect(names).toContain('Reputation.ComplaintRate');
  });
});

describe('SES events', () => {
  it('subscribes the SES events function to the topic the configuration set publishes to', () => {
    service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
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
