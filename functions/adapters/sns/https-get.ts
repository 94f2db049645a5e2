import type { HttpsGet } from '../../engagement/sns-verify';

/** A certificate or a confirmation answer is a few kB; anything bigger is not SNS. */
const MAX_BYTES = 64 * 1024;

/**
 * GET over https with TLS verified (Node's fetch), no redirects (the URL was checked,
 * where it leads was not), a timeout and a size limit. The caller has already
 * restricted the URL to SNS's own hosts.
 */
export function httpsGet(timeoutMs = 5000): HttpsGet {
  return async (url) => {
    if (!url.startsWith('https://')) throw new Error('only https URLs are fetched');
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += chunk.length;
      if (size > MAX_BYTES) throw new Error(`answer over ${MAX_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
}
