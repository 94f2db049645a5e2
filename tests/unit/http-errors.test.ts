import { describe, expect, it } from 'vitest';
import { NotFoundError, UnavailableError, ValidationError } from '../../functions/core/errors';
import type { Logger } from '../../functions/core/log';
import { type ApiEvent, withErrors } from '../../functions/http/api';

const event = { routeKey: 'GET /x', requestContext: { requestId: 'r1' } } as unknown as ApiEvent;

function recordingLogger() {
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: () => {},
    warn: () => {},
    error: (message, fields) => lines.push({ message, ...(fields ? { fields } : {}) }),
  };
  return { log, lines };
}

describe('withErrors', () => {
  it('turns a user mistake into a 4xx JSON error with its one-line message', async () => {
    const { log } = recordingLogger();
    const bad = await withErrors(log, async () => {
      throw new ValidationError('title: must not be empty');
    })(event);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body ?? '')).toEqual({
      error: { code: 'invalid_input', message: 'title: must not be empty' },
    });
    const missing = await withErrors(log, async () => {
      throw new NotFoundError('no post "x"');
    })(event);
    expect(missing.statusCode).toBe(404);
  });

  it('hides a defect from the caller (no stack) and logs it with the request id', async () => {
    const { log, lines } = recordingLogger();
    const res = await withErrors(log, async () => {
      throw new TypeError('cannot read properties of undefined');
    })(event);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/TypeError|at .*\.ts/);
    expect(lines[0]?.fields?.requestId).toBe('r1');
  });

  it('answers 503 when a dependency is unreachable', async () => {
    const { log } = recordingLogger();
    const res = await withErrors(log, async () => {
      throw new UnavailableError('cannot reach DynamoDB at http://127.0.0.1:1');
    })(event);
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('127.0.0.1');
  });
});
