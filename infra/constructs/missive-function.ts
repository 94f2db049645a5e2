import { join } from 'node:path';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from './function-needs';

const ROOT = join(import.meta.dirname, '..', '..');

export interface MissiveFunctionProps {
  /** File under functions/handlers/, without .ts. */
  readonly handler: FunctionName;
  readonly environment: Record<string, string>;
  /** Default: 512 MB. */
  readonly memorySize?: number;
  /** Default: 29 seconds (API Gateway's integration limit). */
  readonly timeout?: Duration;
  /** Default: none reserved (the account's unreserved pool). */
  readonly reservedConcurrentExecutions?: number;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The team's Lambda defaults: nodejs22.x on arm64, esbuild bundle (ESM, minified,
 * source maps, the SDK bundled so versions are the tested ones), JSON logs in a
 * log group with retention, X-Ray tracing, and templates/ copied next to the code.
 */
export class MissiveFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: MissiveFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy,
    });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(ROOT, 'functions', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      ...(props.reservedConcurrentExecutions
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      environment: {
        ...props.environment,
        MISSIVE_MODE: 'aws',
        MISSIVE_TEMPLATES_DIR: '/var/task/templates',
        NODE_OPTIONS: '--enable-source-maps',
      },
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        externalModules: [],
        mainFields: ['module', 'main'],
        // Some dependencies are CommonJS and call require(): give ESM output a require.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -r "${inputDir}/templates" "${outputDir}/templates"`,
            // HTML reports inline Chart.js's UMD bundle, which esbuild does not see (read at run time).
            `mkdir -p "${outputDir}/vendor" && cp "${inputDir}/node_modules/chart.js/dist/chart.umd.min.js" "${outputDir}/vendor/"`,
          ],
        },
      },
    });
  }
}
