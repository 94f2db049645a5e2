import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { TableId } from '../../functions/adapters/dynamodb/tables';
import { FUNCTION_NAMES, type FunctionName, NEEDS, type QueueName } from './function-needs';
import { MissiveFunction, type MissiveFunctionProps } from './missive-function';

export type FunctionSizing = Pick<
  MissiveFunctionProps,
  'memorySize' | 'timeout' | 'reservedConcurrentExecutions'
>;
/** Makes one function of the service, with its grants; the constructs call it for theirs. */
export type MakeFunction<Name extends FunctionName = FunctionName> = (
  name: Name,
  sizing?: FunctionSizing,
) => IFunction;

export interface ServiceFunctionsProps {
  /** The settings every function reads (functions/config), the same for all. */
  readonly environment: Record<string, string>;
  readonly tables: Record<TableId, TableV2>;
  readonly queues: Record<QueueName, IQueue>;
  /** The sending domain: ses:SendRawEmail is allowed on its identity only. */
  readonly domain: string;
  /** ...and on this configuration set. */
  readonly configurationSetName: string;
  /** The link-signing key: every function may read it. */
  readonly signingKeys: Secret;
  /** Of the functions' log groups. Default: RemovalPolicy.DESTROY. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The service's functions: each a `MissiveFunction` (construct id `Fn-<name>`) with
 * exactly the grants `NEEDS` gives it. Built in the scope it is given, as before the
 * stack was split, so no logical id changed.
 */
export class ServiceFunctions {
  private readonly made = new Map<FunctionName, IFunction>();
  private readonly scope: Construct;
  private readonly props: ServiceFunctionsProps;

  constructor(scope: Construct, props: ServiceFunctionsProps) {
    this.scope = scope;
    this.props = props;
  }

  readonly add: MakeFunction = (name, sizing = {}) => {
    const { props } = this;
    const f = new MissiveFunction(this.scope, `Fn-${name}`, {
      handler: name,
      environment: props.environment,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      ...sizing,
    }).fn;
    const needs = NEEDS[name];
    for (const [tableId, access] of Object.entries(needs.tables) as [TableId, 'read' | 'write'][]) {
      if (access === 'write') props.tables[tableId].grantReadWriteData(f);
      else props.tables[tableId].grantReadData(f);
    }
    for (const q of needs.queues ?? []) props.queues[q].grantSendMessages(f);
    if (needs.describeTables) {
      for (const t of Object.values(props.tables))
        f.addToRolePolicy(
          new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [t.tableArn] }),
        );
    }
    if (needs.ses) {
      f.addToRolePolicy(new PolicyStatement({ actions: ['ses:GetSendQuota'], resources: ['*'] }));
    }
    if (needs.ses === 'send') {
      const stack = Stack.of(this.scope);
      f.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendRawEmail'],
          resources: [
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: props.domain }),
            stack.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: props.configurationSetName,
            }),
          ],
        }),
      );
    }
    props.signingKeys.grantRead(f);
    this.made.set(name, f);
    return f;
  };

  /** Every function by name; fails the synth naming any function that was never made. */
  all(): Record<FunctionName, IFunction> {
    const missing = FUNCTION_NAMES.filter((name) => !this.made.has(name));
    if (missing.length > 0) {
      throw new Error(`functions with needs but no Lambda: ${missing.join(', ')}`);
    }
    return Object.fromEntries(this.made) as Record<FunctionName, IFunction>;
  }
}
