/**
 * Machine opens and clicks, counted apart (docs/engagement.md, "Machine opens and
 * clicks"). Pure: the recorder passes what it read from the request and keeps only the
 * returned Classification; no user agent or IP address is ever stored.
 */
import Bowser from 'bowser';
import { isbot } from 'isbot';
import type { Classification } from './model';

/** An open from Apple Mail's own user agent this soon after the send is MPP's prefetch, not a reader. */
export const MPP_PREFETCH_WINDOW_SECONDS = 60;
/** A click (or web-version view) this soon after the send is a gateway scanning the message. */
export const EARLY_CLICK_SECONDS = 10;
/** Clicks of one recipient on one edition this close together form one burst... */
export const BURST_WINDOW_SECONDS = 10;
/** ...and a burst is a scanner's when it covers this many distinct links (or every link of a shorter message). */
export const BURST_MIN_DISTINCT_LINKS = 3;

export interface RequestShape {
  readonly method: string;
  readonly userAgent?: string | undefined;
  /** Seconds between the send and this request; unknown skips the timing rules (benefit of the doubt). */
  readonly secondsSinceSend?: number | undefined;
  readonly kind: 'open' | 'click' | 'web-view';
}

/** Apple MPP fetches with this user agent and nothing else (since 20 September 2021). */
const MPP_AGENT = /^Mozilla\/5\.0$/;
/** Apple Mail's own agent: WebKit with no Safari/Version token (macOS Mail, iOS Mail); MPP may send it too. */
const APPLE_MAIL_AGENT =
  /^Mozilla\/5\.0 \((?:Macintosh|iPhone|iPad)[^)]*\) AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/;
const GMAIL_PROXY = /GoogleImageProxy|ggpht\.com/i;
const YAHOO_PROXY = /YahooMailProxy/i;
/** Office's link checks (Safe Links, "existence discovery"): a person's click arrives from their browser. */
const OFFICE_AGENT = /Microsoft Office|ms-office|MSOffice/i;
const OFFICE_DISCOVERY = /Microsoft Office (?:Existence|Protocol) Discovery/i;
/** Security gateways and link checkers that name themselves (most send a plain browser agent: see the timing rules). */
const SCANNER_AGENT =
  /Barracuda|Mimecast|Proofpoint|urldefense|BingPreview|IronPort|Cisco ?Secure ?Email|Symantec|MessageLabs|Trend ?Micro|\bTMES\b|FortiGuard|FortiMail|Sophos|Check ?Point|Forcepoint|Zscaler|Cloudmark/i;

type Device = Classification['device'];

const machine = (rule: string, device: Device = 'bot'): Classification => ({
  class: 'machine',
  rule,
  device,
});

/** Device family by bowser (MIT; the AWS SDK already ships it); what it cannot place is `unknown`. */
const deviceOf = (userAgent: string): Device => {
  const type = Bowser.parse(userAgent).platform.type;
  if (type === 'desktop' || type === 'mobile' || type === 'tablet' || type === 'bot') return type;
  // Outlook for Windows loads images as "Mozilla/4.0 (compatible; ms-office; MSOffice 16)".
  return OFFICE_AGENT.test(userAgent) ? 'desktop' : 'unknown';
};

const within = (seconds: number | undefined, limit: number) =>
  seconds !== undefined && Number.isFinite(seconds) && seconds < limit;

/** Who made one open, click or web-version request; the first rule that matches decides (docs/engagement.md). */
export function classifyRequest(req: RequestShape): Classification {
  const method = req.method.toUpperCase();
  if (method === 'HEAD') return machine('head-request');
  if (method !== 'GET') return machine('not-get');

  const ua = (req.userAgent ?? '').trim();
  if (ua === '') return machine('no-user-agent', 'unknown');

  // Image proxies fetch for a person who opened the message: a real open, timed at the fetch.
  // They never follow links for the reader, so anything else through them is a machine.
  for (const [pattern, rule] of [
    [GMAIL_PROXY, 'gmail-proxy'],
    [YAHOO_PROXY, 'yahoo-proxy'],
  ] as const) {
    if (pattern.test(ua))
      return req.kind === 'open' ? { class: 'proxy', rule, device: 'webmail' } : machine(rule, 'proxy');
  }

  // Apple's proxy fetches images only; a link followed with this bare agent is a script.
  if (MPP_AGENT.test(ua))
    return req.kind === 'open' ? machine('apple-mpp', 'proxy') : machine('scanner-agent');
  if (OFFICE_DISCOVERY.test(ua)) return machine('office-link-check');
  if (SCANNER_AGENT.test(ua)) return machine('scanner-agent');
  // Crawlers, link previews, HTTP libraries (curl, python-requests, Go-http-client), headless browsers.
  if (isbot(ua)) return machine('bot');

  const device = deviceOf(ua);
  if (device === 'bot') return machine('bot');
  if (req.kind === 'open') {
    if (APPLE_MAIL_AGENT.test(ua) && within(req.secondsSinceSend, MPP_PREFETCH_WINDOW_SECONDS))
      return machine('apple-mpp-prefetch', 'proxy');
  } else {
    // Outlook loads images as "ms-office" (a reader's open), but a link request in that name is a check.
    if (OFFICE_AGENT.test(ua)) return machine('office-link-check');
    if (within(req.secondsSinceSend, EARLY_CLICK_SECONDS)) return machine('early-click', device);
  }
  return { class: 'human', rule: 'default', device };
}

export interface ClickSeen {
  readonly subscriberId: string;
  readonly editionId: string;
  /** The link's index in the variant (links[n]). */
  readonly link: number;
  /** ISO time of the click. */
  readonly at: string;
  readonly classification: Classification;
}

/**
 * Scanner bursts in one batch of clicks: a recipient whose clicks on one edition cover
 * BURST_MIN_DISTINCT_LINKS distinct links (or every link, when the message has fewer,
 * but at least two) within BURST_WINDOW_SECONDS. Returns, by index in `clicks`, the new
 * classification of each click in such a burst that was not already a machine's
 * (`scanner-burst`, device kept). A burst split across two batches is not seen.
 */
export function detectScannerBursts(
  clicks: readonly ClickSeen[],
  linkCount: (editionId: string) => number | undefined,
): Map<number, Classification> {
  type Seen = { readonly index: number; readonly ms: number; readonly click: ClickSeen };
  const groups = new Map<string, Seen[]>();
  clicks.forEach((click, index) => {
    const ms = Date.parse(click.at);
    if (Number.isNaN(ms)) return;
    const key = `${click.editionId}\u0000${click.subscriberId}`;
    const group = groups.get(key) ?? [];
    group.push({ index, ms, click });
    groups.set(key, group);
  });

  const found = new Map<number, Classification>();
  for (const group of groups.values()) {
    const first = group[0];
    if (!first || group.length < 2) continue;
    const links = linkCount(first.click.editionId) ?? BURST_MIN_DISTINCT_LINKS;
    const needed = Math.max(2, Math.min(links, BURST_MIN_DISTINCT_LINKS));
    group.sort((a, b) => a.ms - b.ms);
    group.forEach((start, from) => {
      const burst = group.slice(from).filter((seen) => seen.ms - start.ms <= BURST_WINDOW_SECONDS * 1000);
      if (new Set(burst.map((seen) => seen.click.link)).size < needed) return;
      for (const { index, click } of burst)
        if (click.classification.class !== 'machine')
          found.set(index, { class: 'machine', rule: 'scanner-burst', device: click.classification.device });
    });
  }
  return found;
}
