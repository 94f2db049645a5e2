import type { RemovalPolicy } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE, entryOf, ROOT, SOURCE_MAPS_CONTEXT } from './bundling';
import type { FunctionName } from './function-needs';

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
 * The team's Lambda defaults: nodejs22.x on arm64, esbuild bundle (bundling.ts: ESM,
 * minified, tree-shaken to what the handler uses, the SDK bundled so versions are the
 * tested ones; source maps only with `-c sourceMaps=true`), JSON logs in a log group
 * with retention, X-Ray tracing, and templates/ copied next to the code.
 */
export class MissiveFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: MissiveFunctionProps) {
    super(scope, id);
    const sourceMaps = ['true', true].includes(this.node.tryGetContext(SOURCE_MAPS_CONTEXT));
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy,
    });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: entryOf(props.handler),
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
        ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
      projectRoot: ROOT,
      depsLockFilePath: `${ROOT}/package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        minify: BUNDLE.minify,
        sourceMap: sourceMaps,
        target: BUNDLE.target,
        externalModules: [...BUNDLE.externalModules],
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
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
