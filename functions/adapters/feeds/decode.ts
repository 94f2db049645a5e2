import { FeedError } from '../../content/content';

/**
 * Bytes to text with the feed's own encoding: a BOM, the HTTP charset, or the XML
 * declaration (`<?xml version="1.0" encoding="ISO-8859-1"?>`), else UTF-8.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const label =
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 'utf-8' : undefined) ??
    /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1] ??
    /^<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(label.toLowerCase()).decode(bytes);
  } catch {
    throw new FeedError(`unknown character encoding "${label}"`);
  }
}
