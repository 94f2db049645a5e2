import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  type HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../functions/http/routes';
import type { HttpFunctionName } from './function-needs';

export interface RouteTableApiProps {
  readonly stage: string;
  /** Issuer of the staff JWTs (the Cognito user pool). */
  readonly issuer: string;
  /** Client ids the staff JWTs must be issued to. */
  readonly audience: readonly string[];
  /** Requests per second across the API, and the burst. Default: 200/s, burst 400. */
  readonly throttle?: ThrottleSettings;
  /** Of the access log group. Default: RemovalPolicy.DESTROY. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The HTTP API: no CORS (the web app calls it on its own origin, through the same
 * CloudFront distribution: constructs/web-app.ts), one `$default` stage with
 * throttling and JSON access logs, and the Cognito JWT authorizer that staff routes use. Routes come
 * from the route table through `addRouteTable`, once the functions exist (their
 * environment carries this API's address). Built in the scope it is given, under
 * the construct ids of the stack before it was split, so no logical id changed.
 */
export class RouteTableApi {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, props: RouteTableApiProps) {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.api = new HttpApi(scope, 'Api', {
      apiName: `missive-${props.stage}`,
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(scope, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    this.stage = new HttpStage(scope, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 200, burstLimit: 400 },
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
    this.authorizer = new HttpJwtAuthorizer('Staff', props.issuer, { jwtAudience: [...props.audience] });
  }

  /**
   * One function per handler of the route table (from `functionFor`, called once per
   * handler), each route on its handler's function; staff routes behind the JWT
   * authorizer, public ones open (their handlers check signed tokens).
   */
  addRouteTable(
    routes: readonly RouteDefinition[],
    functionFor: (handler: HttpFunctionName) => IFunction,
  ): void {
    const handlers = [...new Set(routes.map((r) => r.handler))];
    for (const h of handlers) {
      const integration = new HttpLambdaIntegration(`Int-${h}`, functionFor(h));
      for (const route of routes.filter((r) => r.handler === h)) {
        this.api.addRoutes({
          path: route.path,
          methods: [route.method as HttpMethod],
          integration,
          ...(route.access.kind === 'staff' ? { authorizer: this.authorizer } : {}),
        });
      }
    }
  }
}
