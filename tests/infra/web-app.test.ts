import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appContentSecurityPolicy, PATHS_FUNCTION, WebApp } from '../../infra/constructs/web-app';

const AUTHORITY = 'https://missive-dev-123456789012.auth.eu-west-1.amazoncognito.com';
let dir: string;
let app: App;
let t: Template;
let webApp: WebApp;

/** A built app of two files: what BucketDeployment uploads is this folder, whatever the app holds. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'missive-web-app-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><script type="module" src="/app/assets/index-abc.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  webApp = new WebApp(stack, 'WebApp', {
    stage: 'dev',
    api: new HttpApi(stack, 'Api'),
    appDir: dir,
    signIn: { authority: AUTHORITY, clientId: 'client-1', scopes: 'openid email profile' },
  });
  t = Template.fromStack(stack);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Props = Record<string, unknown>;
const only = (type: string) => {
  const found = Object.values(t.findResources(type)) as { Properties: Props }[];
  expect(found, type).toHaveLength(1);
  return found[0]?.Properties as Props;
};
const distribution = () => only('AWS::CloudFront::Distribution').DistributionConfig as Props;
const behaviour = (pattern: string) =>
  (distribution().CacheBehaviors as Props[]).find((b) => b.PathPattern === pattern) as Props;

describe('WebApp bucket', () => {
  it('is private, encrypted, TLS only and access logged', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: Match.anyValue() }),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'app-bucket/' }),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      WebsiteConfiguration: Match.absent(),
    });
    const policies = Object.values(t.findResources('AWS::S3::BucketPolicy')).map((p) =>
      JSON.stringify((p as { Properties: Props }).Properties),
    );
    const files = policies.find((p) => p.includes('cloudfront.amazonaws.com'));
    // Only CloudFront reads it, for this distribution, and never over plain HTTP.
    expect(files).toMatch(/"AWS:SourceArn"/);
    expect(files).toMatch(/"aws:SecureTransport":"false"/);
    expect(files).not.toMatch(/"Principal":"\*","Resource"[^}]*"Effect":"Allow"/);
    for (const p of policies) expect(p).not.toMatch(/"Effect":"Allow","Principal":\{"AWS":"\*"\}/);
  });

  it('is read by CloudFront through Origin Access Control, not an origin access identity', () => {
    t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    const s3 = (distribution().Origins as Props[]).find((o) => o.S3OriginConfig);
    expect(s3?.OriginAccessControlId).toBeDefined();
    expect(s3?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });
});

describe('WebApp distribution', () => {
  it('serves /app/* from the bucket, HTTPS only, cached, with the strict headers', () => {
    const app = behaviour('/app/*');
    expect(app.ViewerProtocolPolicy).toBe('https-only');
    expect(app.AllowedMethods).toEqual(['GET', 'HEAD']);
    const s3 = (distribution().Origins as Props[]).find((o) => o.S3OriginConfig);
    expect(app.TargetOriginId).toBe(s3?.Id);
    const headers = only('AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Props>;
    };
    const csp = String(headers.SecurityHeadersConfig.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toBe(appContentSecurityPolicy(AUTHORITY));
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ${AUTHORITY};`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(headers.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({ Override: true });
    expect(headers.SecurityHeadersConfig.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
  });

  it('sends every other path to the HTTP API: all methods, never cached, every header but Host (Authorization)', () => {
    const api = distribution().DefaultCacheBehavior as Props;
    const origin = (distribution().Origins as Props[]).find((o) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain('.execute-api.');
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    expect(api.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']);
    // aws-cdk-lib's managed policies: CachingDisabled and AllViewerExceptHostHeader.
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
  });

  it('logs requests and has no custom domain unless given one (then TLS 1.2 or later)', () => {
    expect(distribution().Logging).toMatchObject({ Prefix: 'cloudfront/' });
    expect(webApp.url).toMatch(/^https:\/\/\$\{Token\[.*\]\}\/app\/$/);
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Custom', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const custom = new WebApp(stack, 'WebApp', {
      stage: 'prod',
      production: true,
      api: new HttpApi(stack, 'Api'),
      appDir: dir,
      signIn: { authority: AUTHORITY, clientId: 'client-1', scopes: 'openid' },
      customDomain: {
        domainName: 'staff.example.org',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      },
    });
    expect(custom.url).toBe('https://staff.example.org/app/');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['staff.example.org'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
  });

  it('refuses to synthesize an app that is not built, saying how to build it', () => {
    const stack = new Stack(new App(), 'Empty');
    expect(
      () =>
        new WebApp(stack, 'WebApp', {
          stage: 'dev',
          api: new HttpApi(stack, 'Api'),
          appDir: join(dir, 'missing'),
          signIn: { authority: AUTHORITY, clientId: 'c', scopes: 'openid' },
        }),
    ).toThrow(/npm run build:app/);
  });
});

describe('edge paths (CloudFront Function)', () => {
  type Answer = { statusCode?: number; headers?: { location: { value: string } }; uri?: string };
  const handler = new Function(`${PATHS_FUNCTION}; return handler;`)() as (event: {
    request: { uri: string };
  }) => Answer;
  const at = (uri: string) => handler({ request: { uri } });

  it('sends / and /app to the app', () => {
    for (const uri of ['/', '/app']) {
      expect(at(uri)).toMatchObject({ statusCode: 302, headers: { location: { value: '/app/' } } });
    }
  });

  it("answers the app's pages with its index.html and leaves files and the API's paths alone", () => {
    expect(at('/app/').uri).toBe('/app/index.html');
    expect(at('/app/editions').uri).toBe('/app/index.html');
    expect(at('/app/assets/index-abc.js').uri).toBe('/app/assets/index-abc.js');
    expect(at('/app/config.json').uri).toBe('/app/config.json');
    expect(at('/posts/tokyo/editions').uri).toBe('/posts/tokyo/editions');
    expect(at('/r/abc/1').uri).toBe('/r/abc/1');
  });
});

describe('WebApp deployment', () => {
  it('uploads the hashed files for a year, then index.html and config.json revalidated, and invalidates them', () => {
    const deployments = Object.values(t.findResources('Custom::CDKBucketDeployment')) as {
      Properties: Props;
      DependsOn?: string[];
    }[];
    expect(deployments).toHaveLength(2);
    const files = deployments.find((d) => !d.Properties.DistributionId);
    const pages = deployments.find((d) => d.Properties.DistributionId);
    expect(files?.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'app/',
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(pages?.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'app/',
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(pages?.Properties.DistributionPaths).toEqual(
      expect.arrayContaining(['/app/index.html', '/app/config.json']),
    );
    // The new index.html only once the chunks it names are there.
    expect(pages?.DependsOn?.some((id) => id.startsWith('WebAppDeployFilesCustomResource'))).toBe(true);
  });

  it("deploys config.json with the stack's Cognito settings and the app's own address as redirect URI", () => {
    const pages = (
      Object.values(t.findResources('Custom::CDKBucketDeployment')) as { Properties: Props }[]
    ).find((d) => d.Properties.DistributionId)?.Properties as {
      SourceObjectKeys: string[];
      SourceMarkers: Record<string, unknown>[];
    };
    // The staged sources of the deployment: index.html, then config.json with markers for the
    // deploy-time values, which the deployment's handler replaces by what CloudFormation resolved.
    const staged = app.synth().directory;
    const source = (n: number, file: string) =>
      readFileSync(join(staged, `asset.${pages.SourceObjectKeys[n]?.replace(/\.zip$/, '')}`, file), 'utf8');
    expect(source(0, 'index.html')).toContain('/app/assets/index-abc.js');
    let json = source(1, 'config.json');
    for (const [marker, value] of Object.entries(pages.SourceMarkers[1] ?? {})) {
      json = json.replaceAll(
        marker,
        JSON.stringify(value).includes('Distribution') ? 'd111.cloudfront.net' : '?',
      );
    }
    expect(JSON.parse(json)).toEqual({
      mode: 'cognito',
      authority: AUTHORITY,
      clientId: 'client-1',
      redirectUri: 'https://d111.cloudfront.net/app/',
      scopes: 'openid email profile',
    });
  });
});
