import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import type { AppContext } from '../app';
import { HTTP_HANDLERS } from '../handlers';
import { type ApiEvent, type ApiHandler, type ApiResult, errorBody, json } from '../http/api';
import { secure } from '../http/pipeline';
import { type HandlerName, matchRoute, routeKey } from '../http/routes';
import { defaultAppDir, webAppListener } from './web-app';

/** API Gateway's payload limit (10 MB): what a request may carry on AWS, it may carry here. */
const MAX_BODY = 10 * 1024 * 1024;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The request as API Gateway's HTTP API (payload format 2.0) would give it to the Lambda. */
export function toApiEvent(
  req: IncomingMessage,
  body: Buffer,
  route: { routeKey: string; pathParameters: Record<string, string> },
): ApiEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  // A JSON event cannot carry bytes that are not UTF-8 as a string (a Latin-1 CSV sent as
  // text/csv): those come base64-encoded, as they are, and the handler sees the real bytes.
  const textual =
    /^(application\/(json|x-www-form-urlencoded)|text\/)/.test(headers['content-type'] ?? 'text/') &&
    isUtf8(body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(route.pathParameters).length ? { pathParameters: route.pathParameters } : {}),
    ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textual,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

function send(res: ServerResponse, result: ApiResult): void {
  const headers: OutgoingHttpHeaders = { ...(result.headers ?? {}) } as OutgoingHttpHeaders;
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/**
 * Serves the route table on localhost through the same handler code as the Lambdas:
 * request -> API Gateway-shaped event -> handler -> response.
 */
export function localApiListener(ctx: AppContext): RequestListener {
  const handlers = new Map<HandlerName, ApiHandler>();
  const handlerFor = (name: HandlerName): ApiHandler => {
    let h = handlers.get(name);
    if (!h) {
      h = secure(ctx, HTTP_HANDLERS[name](ctx));
      handlers.set(name, h);
    }
    return h;
  };
  // The staff web app and its local sign-in: only this local server mounts them.
  const app = webAppListener({
    dir: defaultAppDir(),
    secret: () => ctx.settings.signingKeys[0]?.secret ?? '',
  });

  const serveOne = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // An absolute-form target Node lets through (GET http://[x HTTP/1.1) is no URL: the caller's mistake.
    const path = requestPath(req);
    if (path === undefined)
      return send(res, json(400, errorBody('bad_request', 'the request target is not a valid URL')));
    if (await app(req, res)) return;
    const method = req.method ?? 'GET';
    const match = matchRoute(method, path);
    if (match === 'not-found')
      return send(res, json(404, errorBody('not_found', `no route ${method} ${path}`)));
    if (match === 'method') {
      return send(res, json(405, errorBody('method_not_allowed', `${method} is not allowed on ${path}`)));
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // The rest of the body is not read: the connection cannot carry another request.
        res.setHeader('connection', 'close');
        return send(
          res,
          json(413, errorBody('too_large', `request body over 10 MB, the API's limit (${MAX_BODY} bytes)`)),
        );
      }
      return send(res, json(400, errorBody('bad_request', 'could not read the request body')));
    }
    const event = toApiEvent(req, body, {
      routeKey: routeKey(match.route),
      pathParameters: match.pathParameters,
    });
    send(res, await handlerFor(match.route.handler)(event));
  };
  // One request must never end the stack: a rejection here would be unhandled and stop the process.
  return async (req, res) => {
    try {
      await serveOne(req, res);
    } catch (error) {
      ctx.log.error('unhandled error in the local server', {
        method: req.method,
        error:
          error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error,
      });
      if (res.headersSent) res.destroy();
      else send(res, json(500, errorBody('internal', 'internal error; it has been logged')));
    }
  };
}

/** The request's path, or undefined when its target is not a URL. */
function requestPath(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
