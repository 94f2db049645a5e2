import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type BackgroundFunctionName, QUEUE_NAMES, type QueueName } from './function-needs';
import type { MakeFunction } from './service-functions';

/** The consumers' timeout; the queues' visibility is six times it, as Lambda's SQS source recommends. */
const CONSUMER_TIMEOUT = Duration.minutes(5);
/** Receives before a message goes to its dead-letter queue. */
const MAX_RECEIVES: Record<QueueName, number> = { dispatch: 5, send: 10, crisis: 10, engagement: 5 };

export interface SendPipelineProps {
  readonly stage: string;
  /** The account's SES MaxSendRate (messages/s): sets the send workers' reserved concurrency. */
  readonly sesRate: number;
}

export interface SendPipelineFunctions {
  readonly dispatch: IFunction;
  readonly worker: IFunction;
  readonly scheduler: IFunction;
  readonly sesEvents: IFunction;
}

/**
 * Sending: the dispatch, send and crisis queues (encrypted, SSL only, each with a
 * dead-letter queue kept 14 days); then, through `addFunctions`, the scheduler
 * every minute, the dispatch consumer, the send workers on the crisis and send
 * queues, and the SES events function on the topic SES publishes to. Built in the
 * scope it is given, under the construct ids of the stack before it was split:
 * the queues are named, and a new logical id would replace them and lose what
 * they hold.
 */
export class SendPipeline {
  readonly queues: Record<QueueName, Queue>;
  readonly deadLetterQueues: Record<QueueName, Queue>;
  /** Reserved concurrency of the send workers: each sends at rate/N. */
  readonly sendWorkers: number;
  private readonly scope: Construct;

  constructor(scope: Construct, props: SendPipelineProps) {
    this.scope = scope;
    const queues: Partial<Record<QueueName, Queue>> = {};
    const deadLetterQueues: Partial<Record<QueueName, Queue>> = {};
    for (const name of QUEUE_NAMES) {
      const dlq = new Queue(scope, `${name}Dlq`, {
        queueName: `missive-${props.stage}-${name}-dlq`,
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      queues[name] = new Queue(scope, name, {
        queueName: `missive-${props.stage}-${name}`,
        visibilityTimeout: Duration.minutes(CONSUMER_TIMEOUT.toMinutes() * 6),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: dlq, maxReceiveCount: MAX_RECEIVES[name] },
      });
      deadLetterQueues[name] = dlq;
    }
    this.queues = queues as Record<QueueName, Queue>;
    this.deadLetterQueues = deadLetterQueues as Record<QueueName, Queue>;
    // Between 2 and 50 workers, each taking about 25 messages/s of the account's rate.
    this.sendWorkers = Math.max(2, Math.min(50, Math.ceil(props.sesRate / 25)));
  }

  /**
   * The pipeline's functions, made by `make` once the queues exist (their
   * environment carries the queue URLs), wired to their queues, schedule and topic.
   */
  addFunctions(make: MakeFunction<BackgroundFunctionName>, sesEventsTopic: ITopic): SendPipelineFunctions {
    const dispatch = make('dispatch', { timeout: CONSUMER_TIMEOUT, memorySize: 1024 });
    dispatch.addEventSource(
      new SqsEventSource(this.queues.dispatch, { batchSize: 1, reportBatchItemFailures: true }),
    );
    const worker = make('send-worker', {
      timeout: CONSUMER_TIMEOUT,
      memorySize: 1024,
      reservedConcurrentExecutions: this.sendWorkers,
    });
    for (const q of [this.queues.crisis, this.queues.send]) {
      worker.addEventSource(new SqsEventSource(q, { batchSize: 2, reportBatchItemFailures: true }));
    }
    const scheduler = make('scheduler', { timeout: Duration.minutes(1) });
    new Rule(this.scope, 'EveryMinute', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(scheduler)],
    });
    // SES events (raw delivery: the body is SES's JSON) join opens and clicks on the engagement
    // queue, so one invocation records a batch and writes each counter once for it.
    sesEventsTopic.addSubscription(new SqsSubscription(this.queues.engagement, { rawMessageDelivery: true }));
    const sesEvents = make('ses-events', { timeout: CONSUMER_TIMEOUT, memorySize: 512 });
    sesEvents.addEventSource(
      new SqsEventSource(this.queues.engagement, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );
    return { dispatch, worker, scheduler, sesEvents };
  }
}
