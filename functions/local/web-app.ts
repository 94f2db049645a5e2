import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalConfig } from '../../app/src/config';
import { issueLocalToken } from '../adapters/auth/staff-tokens';
import type { Grant } from '../core/access';
import { appContentSecurityPolicy } from '../http/app-policy';

/**
 * The staff web app on the local stack: the built files of app/ (dist/app, `npm run
 * build:app`, part of `prepare`) at /app, its config.json saying "local", and the
 * local sign-in (demo users by role, a local token for the one chosen). Only the
 * local server mounts this: on AWS the app is static files with the config.json CDK
 * deploys, and people sign in through Cognito, so no endpoint here exists there.
 */

/** What the app reads to choose its sign-in page (app/src/config.ts). */
const LOCAL_CONFIG: LocalConfig = { mode: 'local' };

export interface DemoStaff {
  readonly id: string;
  readonly name: string;
  readonly grants: readonly Grant[];
}

/** The demo people of the seeded network, one per role (posts: tokyo, the seeded post of the demo). */
export const DEMO_STAFF: readonly DemoStaff[] = [
  { id: 'demo-tokyo-editor', name: 'Aiko Tanaka', grants: [{ role: 'post-editor', post: 'tokyo' }] },
  { id: 'demo-tokyo-approver', name: 'Kenji Mori', grants: [{ role: 'post-approver', post: 'tokyo' }] },
  { id: 'demo-kinshasa-editor', name: 'Grace Mbuyi', grants: [{ role: 'post-editor', post: 'kinshasa' }] },
  { id: 'demo-hq-editor', name: 'Lotte Peeters', grants: [{ role: 'hq-editor' }] },
  { id: 'demo-spokesperson', name: 'Julien Dubois', grants: [{ role: 'spokesperson' }] },
  { id: 'demo-analyst', name: 'Sofie Janssens', grants: [{ role: 'analyst' }] },
  { id: 'demo-admin', name: 'Marc Lambert', grants: [{ role: 'admin' }] },
];

const LOCAL_POLICY = appContentSecurityPolicy();

/** Staff tokens of the local sign-in last a working day, as `missive token` does by default. */
const TOKEN_TTL_SECONDS = 8 * 3600;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

/** dist/app of the project: this file is two levels down (functions/local/ or as bundled). */
export const defaultAppDir = () =>
  process.env.MISSIVE_APP_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'app');

function answer(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  cache = 'no-store',
) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
    // The policy CloudFront sends on AWS: a violation shows here first.
    'content-security-policy': LOCAL_POLICY,
  });
  res.end(body);
}

const jsonAnswer = (res: ServerResponse, status: number, value: unknown) =>
  answer(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A path's percent-decoding, or undefined when it is not valid (%ZZ, bytes that are not UTF-8). */
function decodedPath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

async function fileAt(dir: string, path: string): Promise<string | undefined> {
  const rel = normalize(path).replace(/^([/\\])+/, '');
  const full = join(dir, rel);
  // No way out of the app's folder (../ in the path).
  if (full !== dir && !full.startsWith(dir + sep)) return undefined;
  try {
    return (await stat(full)).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

/** Handles /app and below (errors in the API's shape); answers false for any other path (the API's). */
export function webAppListener(options: { dir: string; secret: () => string }) {
  const dir = resolve(options.dir);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return false;
    }
    if (path !== '/app' && !path.startsWith('/app/')) return false;
    const method = req.method ?? 'GET';
    if (path === '/app/config.json' && method === 'GET') {
      jsonAnswer(res, 200, LOCAL_CONFIG);
      return true;
    }
    if (path === '/app/local/staff' && method === 'GET') {
      jsonAnswer(res, 200, { items: DEMO_STAFF });
      return true;
    }
    if (path === '/app/local/sign-in' && method === 'POST') {
      const body = await readJson(req);
      const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
      const person = DEMO_STAFF.find((p) => p.id === id);
      if (!person) {
        jsonAnswer(res, 400, {
          error: {
            code: 'invalid_input',
            message: `id: not a demo user (one of ${DEMO_STAFF.map((p) => p.id).join(', ')})`,
          },
        });
        return true;
      }
      const token = await issueLocalToken(options.secret(), {
        subject: person.id,
        grants: person.grants,
        ttlSeconds: TOKEN_TTL_SECONDS,
      });
      jsonAnswer(res, 200, { token, user: person, expiresIn: TOKEN_TTL_SECONDS });
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      jsonAnswer(res, 405, {
        error: { code: 'method_not_allowed', message: `${method} is not allowed on ${path}` },
      });
      return true;
    }
    if (path === '/app') {
      res.writeHead(308, { location: '/app/' });
      res.end();
      return true;
    }
    const wanted = decodedPath(path.slice('/app/'.length));
    if (wanted === undefined) {
      jsonAnswer(res, 400, {
        error: { code: 'invalid_input', message: 'the path is not valid percent-encoding (UTF-8 as %XX)' },
      });
      return true;
    }
    const asset = await fileAt(dir, wanted);
    // Any other path is a page of the app: its index.html (the app routes in the browser).
    const file = asset ?? (await fileAt(dir, 'index.html'));
    if (!file) {
      answer(
        res,
        503,
        'text/plain; charset=utf-8',
        `The web app is not built (no ${join(dir, 'index.html')}): run \`npm run build:app\`.\n`,
      );
      return true;
    }
    // Vite names assets by their content hash: they never change under one name.
    const cache = asset && path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store';
    answer(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file), cache);
    return true;
  };
}
