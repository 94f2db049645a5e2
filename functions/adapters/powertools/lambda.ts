import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { Logger } from '../../core/log';
import type { BatchMetrics, SendMetrics } from '../../sending/ports';

/**
 * On Lambda only: the Logger port through Powertools (one JSON object a line with the
 * invocation's request id, function and cold start, and a correlation id: the edition
 * a batch is about). The local stack and the CLI keep core/log.ts's jsonLogger.
 */
export interface LambdaLogger extends Logger {
  /** The invocation's Lambda context, on every line until the next invocation. */
  invocation(context: Context | undefined, correlationId: string | undefined): void;
}

export function powertoolsLogger(service: string, keys: Record<string, string>): LambdaLogger {
  const logger = new PowertoolsLogger({ serviceName: service, persistentKeys: keys });
  return {
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
    invocation(context, correlationId) {
      if (context) logger.addContext(context);
      if (correlationId) logger.appendKeys({ correlation_id: correlationId });
      else logger.removeKeys(['correlation_id']);
    },
  };
}

/**
 * The send worker's metrics in CloudWatch's embedded metric format (one log line per
 * batch, no API call): messages sent, failed, skipped and SES Throttling answers, by
 * post and kind (newsletter, broadcast, crisis).
 */
export function emfSendMetrics(namespace: string, service: string): SendMetrics {
  const metrics = new Metrics({ namespace, serviceName: service });
  return {
    batch(m: BatchMetrics) {
      metrics.addDimensions({ post: m.post, kind: m.kind });
      metrics.addMetric('sent', MetricUnit.Count, m.sent);
      metrics.addMetric('failed', MetricUnit.Count, m.failed);
      metrics.addMetric('skipped', MetricUnit.Count, m.skipped);
      metrics.addMetric('throttled', MetricUnit.Count, m.throttled);
      metrics.publishStoredMetrics();
    },
  };
}
