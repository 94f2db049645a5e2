import { domainToASCII } from 'node:url';

/**
 * One email address as people type it, checked and put in its one stored form:
 *  - syntax and lengths (RFC 5321: local part ≤ 64, domain ≤ 253, whole ≤ 254 octets);
 *  - the domain case-folded and, when internationalised, turned to punycode (IDNA,
 *    node:url's domainToASCII), so one person is stored once;
 *  - a local part beyond ASCII is kept as data but reported as not deliverable
 *    through SES (SES accepts no SMTPUTF8 local part);
 *  - obvious typos of big mail domains (`gmial.com`) reported, never changed.
 */
export type AddressCheck =
  | {
      readonly ok: true;
      readonly email: string;
      /** False: SES cannot deliver to it (a local part beyond ASCII). */
      readonly deliverable: boolean;
      /** A big domain this one is probably a typo of ("did you mean …?"). */
      readonly suggestion?: string;
    }
  | { readonly ok: false; readonly reason: string };

const LOCAL_ASCII = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A local part with characters beyond ASCII (RFC 6531): letters and marks of any script, same punctuation. */
const LOCAL_UTF8 = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The big consumer domains typos are checked against (worldwide and Belgian). */
const BIG_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'hotmail.com',
  'hotmail.be',
  'hotmail.fr',
  'outlook.com',
  'outlook.be',
  'live.com',
  'live.be',
  'yahoo.com',
  'yahoo.fr',
  'icloud.com',
  'me.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'orange.fr',
  'free.fr',
  'telenet.be',
  'skynet.be',
  'proximus.be',
];

/** Damerau-Levenshtein distance (adjacent swaps count one), small strings only. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** Domains already compared: an import checks the same few domains hundreds of thousands of times. */
const typoMemo = new Map<string, string | undefined>();

export function typoOf(domain: string): string | undefined {
  if (typoMemo.has(domain)) return typoMemo.get(domain);
  let best: { domain: string; d: number } | undefined;
  if (!BIG_DOMAINS.includes(domain)) {
    for (const big of BIG_DOMAINS) {
      const d = distance(domain, big);
      if (d <= (big.length > 8 ? 2 : 1) && (!best || d < best.d)) best = { domain: big, d };
    }
  }
  if (typoMemo.size >= 10_000) typoMemo.clear(); // bounded: memory stays flat
  typoMemo.set(domain, best?.domain);
  return best?.domain;
}

export function checkAddress(raw: string): AddressCheck {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'no address' };
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1)
    return { ok: false, reason: `"${text}" has no local part and domain` };
  const local = text.slice(0, at);
  const rawDomain = text.slice(at + 1);
  if (Buffer.byteLength(local, 'utf8') > 64)
    return { ok: false, reason: 'the part before @ is longer than 64' };
  const ascii = LOCAL_ASCII.test(local);
  if (!ascii && !LOCAL_UTF8.test(local))
    return { ok: false, reason: `"${text}" is not an address: the part before @ has characters not allowed` };
  if (/[\s,;<>()[\]\\"]/.test(rawDomain)) return { ok: false, reason: `"${text}" is not one address` };
  const domain = domainToASCII(rawDomain.toLowerCase().replace(/\.$/, ''));
  if (!domain) return { ok: false, reason: `"${rawDomain}" is not a valid domain` };
  const labels = domain.split('.');
  if (
    labels.length < 2 ||
    domain.length > 253 ||
    !labels.every((l) => LABEL.test(l)) ||
    /^\d+$/.test(labels.at(-1) ?? '')
  )
    return { ok: false, reason: `"${rawDomain}" is not a valid domain` };
  const email = `${local}@${domain}`;
  if (Buffer.byteLength(email, 'utf8') > 254) return { ok: false, reason: 'the address is longer than 254' };
  const suggestion = typoOf(domain);
  return {
    ok: true,
    email,
    deliverable: ascii,
    ...(suggestion ? { suggestion: `${local}@${suggestion}` } : {}),
  };
}
