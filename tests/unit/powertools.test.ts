import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emfSendMetrics, powertoolsLogger } from '../../functions/adapters/powertools/lambda';

/** The JSON lines written while `run` runs (what CloudWatch Logs receives). */
function linesOf(run: () => void): Record<string, unknown>[] {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  };
  // Warnings and errors go to standard error.
  const spies = [process.stdout, process.stderr].map((s) => vi.spyOn(s, 'write').mockImplementation(capture));
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const context = {
  awsRequestId: 'req-1',
  functionName: 'missive-dev-send-worker',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:missive-dev-send-worker',
  memoryLimitInMB: '512',
} as Context;

afterEach(() => vi.restoreAllMocks());

describe('Powertools on Lambda', () => {
  it('logs each line with the invocation and the edition it is about, and forgets the edition after', () => {
    const log = powertoolsLogger('missive', { stage: 'dev' });
    const [first, second] = linesOf(() => {
      log.invocation(context, 'ed-42');
      log.info('send batch done', { sent: 50 });
      log.invocation(context, undefined);
      log.warn('batch of several editions');
    });
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'send batch done',
      service: 'missive',
      stage: 'dev',
      function_request_id: 'req-1',
      function_name: 'missive-dev-send-worker',
      correlation_id: 'ed-42',
      sent: 50,
    });
    expect(second).toMatchObject({ level: 'WARN', function_request_id: 'req-1' });
    expect(second).not.toHaveProperty('correlation_id');
  });

  it("writes a send batch's counts as CloudWatch metrics (EMF) by post and kind", () => {
    const metrics = emfSendMetrics('missive-dev', 'missive');
    const [line] = linesOf(() =>
      metrics.batch({ post: 'tokyo', kind: 'crisis', sent: 47, failed: 1, skipped: 2, throttled: 3 }),
    );
    expect(line).toMatchObject({
      post: 'tokyo',
      kind: 'crisis',
      sent: 47,
      failed: 1,
      skipped: 2,
      throttled: 3,
    });
    type Emf = {
      CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
    };
    const emf = (line?._aws as Emf | undefined)?.CloudWatchMetrics[0];
    expect(emf?.Namespace).toBe('missive-dev');
    expect(emf?.Dimensions[0]).toEqual(expect.arrayContaining(['post', 'kind']));
    expect(emf?.Metrics.map((m) => m.Name).sort()).toEqual(['failed', 'sent', 'skipped', 'throttled']);
  });
});
