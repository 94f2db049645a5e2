import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { CognitoConfig } from '../../app/src/config';
import { appContentSecurityPolicy } from '../../functions/http/app-policy';

export { appContentSecurityPolicy };

/** The built app (`npm run build:app`, run by `prepare` on npm install and by `npm run synth`). */
export const APP_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'app');

export interface WebAppProps {
  readonly stage: string;
  /** Keep the buckets when the stack goes (production). Default: false. */
  readonly production?: boolean;
  /** The HTTP API: every path but the app's goes to it, same origin as the app (no CORS). */
  readonly api: HttpApi;
  /**
   * A domain of our own for the app, with its ACM certificate (us-east-1): viewers then
   * need TLS 1.2 or later. Without it the distribution has CloudFront's *.cloudfront.net
   * certificate, whose security policy CloudFront fixes.
   */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** How the app signs people in (config.json); the redirect URI is this app's own address. */
  readonly signIn: Omit<CognitoConfig, 'mode' | 'redirectUri'>;
  /** The built app's folder. Default: dist/app of the project. */
  readonly appDir?: string;
}

/**
 * Paths at the edge: `/` and `/app` go to `/app/`; a page of the app (`/app/`, or any
 * `/app/...` without a file extension) is its index.html, as the local server does.
 * CloudFront Functions runtime (cloudfront-js-2.0): plain ES5-ish JavaScript.
 */
export const PATHS_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/app') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/app/' } } };
  }
  if (uri.indexOf('/app/') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '/app/index.html';
  }
  return request;
}`;

/**
 * The staff web app on AWS: dist/app in a private bucket (no public access, TLS only,
 * encrypted, access logged) behind one CloudFront distribution that also fronts the
 * HTTP API, so the app calls the API on its own origin with its bearer token.
 *
 * Behaviours: `/app/*` from the bucket through Origin Access Control (cached, strict
 * security headers); everything else (the default) to the API, never cached, every
 * viewer header but Host forwarded (Authorization reaches the JWT authorizer).
 */
/**
 * aws-cdk-lib's Bucket declares `isWebsite?: boolean` where IBucket has `isWebsite: boolean`,
 * which exactOptionalPropertyTypes refuses; the object is the same.
 */
const asIBucket = (bucket: Bucket) => bucket as unknown as IBucket;

export class WebApp extends Construct {
  readonly bucket: IBucket;
  readonly logs: IBucket;
  readonly distribution: Distribution;
  /** Whether the app has a domain (and certificate) of its own. */
  readonly customDomain: boolean;
  /** https://<domain> of the distribution (or of the custom domain). */
  readonly origin: string;
  /** Where people open the app (and where the hosted UI sends them back): origin + /app/. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const appDir = props.appDir ?? APP_DIR;
    if (!existsSync(join(appDir, 'index.html'))) {
      throw new Error(
        `The web app is not built (no ${join(appDir, 'index.html')}): run \`npm run build:app\`.`,
      );
    }
    const production = props.production ?? false;
    const removal = production
      ? { removalPolicy: RemovalPolicy.RETAIN }
      : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

    // CloudFront's standard logs are written with ACLs: this bucket keeps them enabled
    // for its owner and log delivery only (public access is blocked all the same).
    this.logs = asIBucket(
      new Bucket(this, 'AccessLogs', {
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
        lifecycleRules: [{ expiration: Duration.days(90) }],
        ...removal,
      }),
    );
    this.bucket = asIBucket(
      new Bucket(this, 'Files', {
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: this.logs,
        serverAccessLogsPrefix: 'app-bucket/',
        ...removal,
      }),
    );

    const paths = new EdgeFunction(this, 'Paths', {
      code: FunctionCode.fromInline(PATHS_FUNCTION),
      runtime: FunctionRuntime.JS_2_0,
      comment: `missive-${props.stage}: / and /app to /app/, app pages to index.html`,
    });
    const edge = [{ function: paths, eventType: FunctionEventType.VIEWER_REQUEST }];

    const stack = Stack.of(this);
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const appHeaders = new ResponseHeadersPolicy(this, 'AppHeaders', {
      comment: `missive-${props.stage} web app: CSP, HSTS, no framing, no sniffing`,
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: appContentSecurityPolicy(props.signIn.authority),
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
        ],
      },
    });

    const custom = props.customDomain;
    this.customDomain = custom !== undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `missive-${props.stage}: web app and API`,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      ...(custom
        ? {
            domainNames: [custom.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', custom.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: apiOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: edge,
      },
      additionalBehaviors: {
        '/app/*': {
          origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: appHeaders,
          functionAssociations: edge,
        },
      },
    });
    this.origin = custom
      ? `https://${custom.domainName}`
      : `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/app/`;

    // Hashed assets first, and kept (a page loaded before a deploy still finds its
    // chunks); then index.html and config.json, revalidated on every load.
    const files = new BucketDeployment(this, 'DeployFiles', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'app/',
      sources: [Source.asset(appDir, { exclude: ['index.html', 'config.json'] })],
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
      memoryLimit: 512,
    });
    const config: CognitoConfig = { mode: 'cognito', ...props.signIn, redirectUri: this.url };
    const pages = new BucketDeployment(this, 'DeployPages', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'app/',
      sources: [
        Source.data('index.html', readFileSync(join(appDir, 'index.html'), 'utf8')),
        Source.jsonData('config.json', config),
      ],
      cacheControl: [CacheControl.noCache()],
      prune: false,
      memoryLimit: 512,
      distribution: this.distribution,
      distributionPaths: ['/app/', '/app/index.html', '/app/config.json'],
    });
    pages.node.addDependency(files);
  }
}
