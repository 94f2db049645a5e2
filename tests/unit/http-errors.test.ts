import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../functions/app';
import type { Principal } from '../../functions/core/access';
import { NotFoundError, UnavailableError, ValidationError } from '../../functions/core/errors';
import { type Logger, silentLogger } from '../../functions/core/log';
import { type ApiEvent, withErrors } from '../../functions/http/api';
import { secure } from '../../functions/http/pipeline';

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

describe('path parameters in the pipeline (what the Lambda entry and the local server both run)', () => {
  const editor: Principal = { id: 'e', grants: [{ role: 'post-editor', post: 'tokyo' }] };
  const ctx = { log: silentLogger, auth: { authenticate: async () => editor } } as unknown as AppContext;
  /** The event as API Gateway gives it: path parameters still percent-encoded. */
  const lambdaEvent = (code: string) =>
    ({
      routeKey: 'GET /posts/{code}/editions',
      headers: { authorization: 'Bearer x.y.z' },
      pathParameters: { code },
      requestContext: { requestId: 'r' },
    }) as unknown as ApiEvent;

  it('answers a bad percent-encoding with a 400 naming the parameter, before the handler runs', async () => {
    let called = false;
    const handler = secure(ctx, async () => {
      called = true;
      return { statusCode: 200 };
    });
    const res = await handler(lambdaEvent('%E0%A4%A'));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body ?? '')).toEqual({
      error: { code: 'invalid_input', message: expect.stringMatching(/path parameter code/) },
    });
    expect(called).toBe(false);
  });

  it('decodes once: the access check and the handler see the same code', async () => {
    const seen: (string | undefined)[] = [];
    const handler = secure(ctx, async (event) => {
      seen.push(event.pathParameters?.code);
      return { statusCode: 200 };
    });
    expect((await handler(lambdaEvent('%74okyo'))).statusCode).toBe(200);
    expect((await handler(lambdaEvent('t%25okyo'))).statusCode).toBe(404); // "t%okyo": another post
    expect(seen).toEqual(['tokyo']);
  });
});
