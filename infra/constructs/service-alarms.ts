import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { QueueName } from './function-needs';

export interface ServiceAlarmsProps {
  readonly stage: string;
  /** Where alarms are sent (an email address). Default: none, alarms only show in CloudWatch. */
  readonly email?: string;
  readonly deadLetterQueues: Record<QueueName, IQueue>;
  readonly worker: IFunction;
  readonly dispatch: IFunction;
  /** SES bounce rate that raises the alarm. Default: 0.04 (SES reviews accounts at 5%). */
  readonly bounceRate?: number;
  /** Complaint rate that raises the alarm. Default: 0.002 (Gmail and Yahoo require under 0.3%). */
  readonly complaintRate?: number;
}

/**
 * Alarms to an encrypted SNS topic: any dead letter, dispatch errors, send worker
 * errors and throttles, SES bounce and complaint rates. Built in the scope it is
 * given, under the construct ids of the stack before it was split, so no logical
 * id changed.
 */
export class ServiceAlarms {
  readonly topic: Topic;

  constructor(scope: Construct, props: ServiceAlarmsProps) {
    this.topic = new Topic(scope, 'Alarms', {
      topicName: `missive-${props.stage}-alarms`,
      masterKey: Alias.fromAliasName(scope, 'AlarmKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    if (props.email)
      new Subscription(scope, 'AlarmMail', {
        topic: this.topic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: props.email,
      });
    const action = new SnsAction(this.topic);
    const alarm = (id: string, metric: IMetric, threshold: number, description: string) =>
      new Alarm(scope, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(action);

    const period = Duration.minutes(5);
    for (const [name, dlq] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `Dlq-${name}`,
        dlq.metricApproximateNumberOfMessagesVisible({ period }),
        0,
        `messages in the ${name} dead-letter queue`,
      );
    }
    alarm('WorkerErrors', props.worker.metricErrors({ period }), 5, 'send worker errors');
    alarm('WorkerThrottles', props.worker.metricThrottles({ period }), 10, 'send worker throttled by Lambda');
    alarm('DispatchErrors', props.dispatch.metricErrors({ period }), 0, 'dispatch errors');
    const reputation = (name: string) =>
      new Metric({ namespace: 'AWS/SES', metricName: name, period: Duration.hours(1), statistic: 'Maximum' });
    const bounceRate = props.bounceRate ?? 0.04;
    const complaintRate = props.complaintRate ?? 0.002;
    alarm(
      'BounceRate',
      reputation('Reputation.BounceRate'),
      bounceRate,
      `SES bounce rate over ${percent(bounceRate)} (SES reviews accounts at 5%)`,
    );
    alarm(
      'ComplaintRate',
      reputation('Reputation.ComplaintRate'),
      complaintRate,
      `complaint rate over ${percent(complaintRate)} (Gmail and Yahoo require under 0.3%)`,
    );
  }
}

const percent = (rate: number) => `${Number((rate * 100).toFixed(2))}%`;
