import { describe, expect, it } from 'vitest';
import {
  BURST_MIN_DISTINCT_LINKS,
  BURST_WINDOW_SECONDS,
  type ClickSeen,
  classifyRequest,
  detectScannerBursts,
  EARLY_CLICK_SECONDS,
  MPP_PREFETCH_WINDOW_SECONDS,
} from '../../functions/engagement/classify';
import type { Classification } from '../../functions/engagement/model';

// User agents as mail clients, proxies and scanners send them (sources in docs/engagement.md).
const UA = {
  appleMpp: 'Mozilla/5.0',
  appleMailMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  iPhoneMail:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  iPadMail:
    'Mozilla/5.0 (iPad; CPU OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
  outlookImages: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
  outlookDesktop: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  androidGmailApp:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36',
  thunderbird: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0',
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  barracuda: 'Barracuda Sentinel (EE)',
  bingPreview: 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b',
  officeDiscovery: 'Microsoft Office Existence Discovery',
  headlessChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  curl: 'curl/8.5.0',
  pythonRequests: 'python-requests/2.31.0',
  goHttp: 'Go-http-client/1.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
} as const;

const HOUR = 3600;
const get = (kind: 'open' | 'click' | 'web-view', userAgent: string | undefined, secondsSinceSend = HOUR) =>
  classifyRequest({ method: 'GET', kind, userAgent, secondsSinceSend });

describe('classifyRequest: opens', () => {
  it.each([
    ['Apple MPP (bare Mozilla/5.0), any time', UA.appleMpp, HOUR, 'machine', 'apple-mpp', 'proxy'],
    [
      'Apple Mail on a Mac, right after the send',
      UA.appleMailMac,
      20,
      'machine',
      'apple-mpp-prefetch',
      'proxy',
    ],
    ['Apple Mail on a Mac, an hour later', UA.appleMailMac, HOUR, 'human', 'default', 'desktop'],
    ['iPhone Mail, right after the send', UA.iPhoneMail, 5, 'machine', 'apple-mpp-prefetch', 'proxy'],
    ['iPhone Mail, an hour later', UA.iPhoneMail, HOUR, 'human', 'default', 'mobile'],
    ['iPad Mail, an hour later', UA.iPadMail, HOUR, 'human', 'default', 'tablet'],
    ["Gmail's image proxy (web, Android and iOS apps)", UA.gmailProxy, 30, 'proxy', 'gmail-proxy', 'webmail'],
    ["Yahoo's image proxy", UA.yahooProxy, HOUR, 'proxy', 'yahoo-proxy', 'webmail'],
    ['Outlook for Windows loading images', UA.outlookImages, 30, 'human', 'default', 'desktop'],
    ['Outlook desktop (Microsoft Office agent)', UA.outlookDesktop, HOUR, 'human', 'default', 'desktop'],
    ['Thunderbird', UA.thunderbird, HOUR, 'human', 'default', 'desktop'],
    ['Barracuda rendering the message', UA.barracuda, 3, 'machine', 'scanner-agent', 'bot'],
    ['a headless browser', UA.headlessChrome, 3, 'machine', 'bot', 'bot'],
  ] as const)('%s', (_name, ua, seconds, cls, rule, device) => {
    expect(get('open', ua, seconds)).toEqual({ class: cls, rule, device });
  });

  it('the MPP window is a threshold: just inside is a prefetch, at the limit a reader', () => {
    expect(get('open', UA.iPhoneMail, MPP_PREFETCH_WINDOW_SECONDS - 1).class).toBe('machine');
    expect(get('open', UA.iPhoneMail, MPP_PREFETCH_WINDOW_SECONDS).class).toBe('human');
  });

  it('without the time since the send, Apple Mail gets the benefit of the doubt; bare MPP does not', () => {
    expect(classifyRequest({ method: 'GET', kind: 'open', userAgent: UA.iPhoneMail }).class).toBe('human');
    expect(classifyRequest({ method: 'GET', kind: 'open', userAgent: UA.appleMpp }).class).toBe('machine');
  });
});

describe('classifyRequest: clicks and web views', () => {
  it.each([
    ['a reader on Windows, an hour later', UA.chromeWindows, HOUR, 'human', 'default', 'desktop'],
    ['a reader in the Android Gmail app', UA.androidGmailApp, 120, 'human', 'default', 'mobile'],
    ['a reader on an iPhone', UA.iPhoneMail, HOUR, 'human', 'default', 'mobile'],
    ['Barracuda', UA.barracuda, HOUR, 'machine', 'scanner-agent', 'bot'],
    ['Microsoft Safe Links preview (BingPreview)', UA.bingPreview, 4, 'machine', 'scanner-agent', 'bot'],
    ["Office's link check (ms-office)", UA.outlookImages, HOUR, 'machine', 'office-link-check', 'bot'],
    ["Office's existence discovery", UA.officeDiscovery, HOUR, 'machine', 'office-link-check', 'bot'],
    ['curl', UA.curl, HOUR, 'machine', 'bot', 'bot'],
    ['python-requests', UA.pythonRequests, HOUR, 'machine', 'bot', 'bot'],
    ['Go-http-client', UA.goHttp, HOUR, 'machine', 'bot', 'bot'],
    ['a headless browser', UA.headlessChrome, HOUR, 'machine', 'bot', 'bot'],
    ['a crawler', UA.googlebot, HOUR, 'machine', 'bot', 'bot'],
    ["Yahoo's proxy fetching a link", UA.yahooProxy, HOUR, 'machine', 'yahoo-proxy', 'proxy'],
    ['a bare Mozilla/5.0 following a link', UA.appleMpp, HOUR, 'machine', 'scanner-agent', 'bot'],
  ] as const)('%s', (_name, ua, seconds, cls, rule, device) => {
    expect(get('click', ua, seconds)).toEqual({ class: cls, rule, device });
  });

  it('Safe Links, Mimecast and Proofpoint fetch with no agent or a plain browser agent: caught by shape and time', () => {
    expect(get('click', undefined, HOUR)).toEqual({
      class: 'machine',
      rule: 'no-user-agent',
      device: 'unknown',
    });
    expect(get('click', '  ', HOUR).rule).toBe('no-user-agent');
    expect(get('click', UA.chromeWindows, 2)).toEqual({
      class: 'machine',
      rule: 'early-click',
      device: 'desktop',
    });
    expect(get('web-view', UA.chromeWindows, 2).rule).toBe('early-click');
    expect(get('click', UA.chromeWindows, EARLY_CLICK_SECONDS).class).toBe('human');
  });

  it('gateways that name themselves are machines whatever the time', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Mimecast URL Protect)',
      'Proofpoint URL Defense',
      'Mozilla/5.0 (compatible; Cisco IronPort)',
    ])
      expect(get('click', ua, HOUR)).toMatchObject({ class: 'machine', rule: 'scanner-agent' });
  });

  it('HEAD (and any method but GET) is a machine, even with a phone agent', () => {
    for (const kind of ['open', 'click', 'web-view'] as const)
      expect(
        classifyRequest({ method: 'HEAD', kind, userAgent: UA.iPhoneMail, secondsSinceSend: HOUR }),
      ).toEqual({
        class: 'machine',
        rule: 'head-request',
        device: 'bot',
      });
    expect(classifyRequest({ method: 'head', kind: 'click', userAgent: UA.chromeWindows }).rule).toBe(
      'head-request',
    );
    expect(classifyRequest({ method: 'OPTIONS', kind: 'click', userAgent: UA.chromeWindows }).rule).toBe(
      'not-get',
    );
  });

  it('an early open by a reader is not a scanner (only Apple Mail agents have an open window)', () => {
    expect(get('open', UA.chromeWindows, 2).class).toBe('human');
  });
});

describe('detectScannerBursts', () => {
  const human: Classification = { class: 'human', rule: 'default', device: 'desktop' };
  const base = Date.parse('2026-11-26T10:00:00.000Z');
  const click = (link: number, afterSeconds: number, more: Partial<ClickSeen> = {}): ClickSeen => ({
    subscriberId: 'sub_1',
    editionId: 'ed_1',
    link,
    at: new Date(base + afterSeconds * 1000).toISOString(),
    classification: human,
    ...more,
  });
  const links = (counts: Record<string, number>) => (editionId: string) => counts[editionId];

  it('every link of a message within 3 seconds is a scanner: all those clicks become machine', () => {
    const clicks = [0, 1, 2, 3, 4].map((n) => click(n, n * 0.7));
    const found = detectScannerBursts(clicks, links({ ed_1: 5 }));
    expect([...found.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(found.get(2)).toEqual({ class: 'machine', rule: 'scanner-burst', device: 'desktop' });
  });

  it(`${BURST_MIN_DISTINCT_LINKS} distinct links of a long message within the window are a burst`, () => {
    const clicks = [click(7, 0), click(2, 1), click(11, BURST_WINDOW_SECONDS)];
    expect(detectScannerBursts(clicks, links({ ed_1: 20 })).size).toBe(3);
  });

  it('two clicks a minute apart are a person', () => {
    const clicks = [click(0, 0), click(1, 60), click(2, 120)];
    expect(detectScannerBursts(clicks, links({ ed_1: 3 })).size).toBe(0);
  });

  it('one link clicked twice fast is not a burst (a double click), even on a one-link message', () => {
    expect(detectScannerBursts([click(3, 0), click(3, 0.4)], links({ ed_1: 8 })).size).toBe(0);
    expect(detectScannerBursts([click(0, 0), click(0, 0.4), click(0, 1)], links({ ed_1: 1 })).size).toBe(0);
  });

  it('two links of a two-link message within seconds is every link: a burst', () => {
    expect(detectScannerBursts([click(0, 0), click(1, 1)], links({ ed_1: 2 })).size).toBe(2);
  });

  it('two fast links of a long message are a person opening two articles', () => {
    expect(detectScannerBursts([click(0, 0), click(1, 1)], links({ ed_1: 12 })).size).toBe(0);
  });

  it('only clicks inside the burst change; other recipients and editions in the batch do not', () => {
    const clicks = [
      click(0, 0),
      click(1, 1),
      click(2, 2),
      click(4, 600), // the same person, ten minutes later: a person
      click(0, 1, { subscriberId: 'sub_2' }),
      click(1, 1, { editionId: 'ed_2' }),
    ];
    const found = detectScannerBursts(clicks, links({ ed_1: 5, ed_2: 5 }));
    expect([...found.keys()].sort()).toEqual([0, 1, 2]);
  });

  it('clicks already classed machine count towards the burst but keep their own rule', () => {
    const head: Classification = { class: 'machine', rule: 'head-request', device: 'bot' };
    const clicks = [click(0, 0, { classification: head }), click(1, 0.5), click(2, 1)];
    const found = detectScannerBursts(clicks, links({ ed_1: 3 }));
    expect([...found.keys()].sort()).toEqual([1, 2]);
  });

  it('an unknown link count falls back to the distinct-links threshold; an unreadable time is skipped', () => {
    expect(detectScannerBursts([click(0, 0), click(1, 1), click(2, 2)], () => undefined).size).toBe(3);
    expect(detectScannerBursts([click(0, 0), click(1, 1)], () => undefined).size).toBe(0);
    const clicks = [click(0, 0), click(1, 1), { ...click(2, 2), at: 'not a time' }];
    expect(detectScannerBursts(clicks, links({ ed_1: 3 })).size).toBe(0);
  });
});
