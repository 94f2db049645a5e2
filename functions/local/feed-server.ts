import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';

/**
 * Stand-in for headquarters' Focus on Belgium site: serves the sample feeds of
 * seeds/feeds/ with ETag and Last-Modified, and answers conditional requests with
 * 304, as a real web server would.
 */
export function createFeedServer(dir: string): Server {
  return createServer(async (req, res) => {
    const name = basename(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!/^[\w.-]+\.(xml|json)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    const path = join(dir, name);
    let text: Buffer;
    let modified: Date;
    try {
      [text, modified] = await Promise.all([readFile(path), stat(path).then((s) => s.mtime)]);
    } catch {
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
    const lastModified = new Date(Math.floor(modified.getTime() / 1000) * 1000).toUTCString();
    const headers = { etag, 'last-modified': lastModified, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const type = name.endsWith('.json')
      ? 'application/feed+json'
      : text.includes('<feed')
        ? 'application/atom+xml; charset=utf-8'
        : 'application/rss+xml; charset=utf-8';
    res.writeHead(200, { ...headers, 'content-type': type, 'content-length': text.length }).end(text);
  });
}
