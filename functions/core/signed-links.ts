import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64url } from './base64url';
import { ValidationError } from './errors';

/**
 * Signed tokens for every public link (unsubscribe, preferences, web version, open
 * pixel, click). A token carries ids, never an address: base64url(JSON) . keyId .
 * base64url(HMAC-SHA256). The key id lets keys rotate: new links use the current
 * key, links already in inboxes still verify with the older keys that remain
 * configured. Hand-rolled on node:crypto rather than JWT: one HMAC per link keeps
 * per-recipient personalisation cheap and the URLs short.
 */

/**
 * manage: unsubscribe and preferences (changes a subscription);
 * read: web version, click redirect, open pixel (changes nothing);
 * confirm: double opt-in confirmation.
 * Two tokens per recipient keep sending cheap; a read token never unsubscribes.
 */
export const LINK_PURPOSES = ['manage', 'read', 'confirm'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export interface LinkClaims {
  /** purpose: a token for one purpose is refused for another */
  readonly p: LinkPurpose;
  /** subscriber id */
  readonly s: string;
  /** post code */
  readonly o?: string;
  /** audience id */
  readonly a?: string;
  /** edition id */
  readonly e?: string;
  /** language of the variant */
  readonly g?: string;
  /** expiry, epoch seconds */
  readonly x?: number;
  /** 1: a test send's link (works, counts nothing) */
  readonly z?: 1;
}

export interface LinkKey {
  readonly id: string;
  readonly secret: string;
}

/** One answer for every bad token: it must not tell a forgery from an unknown subscriber. */
export class InvalidLinkError extends ValidationError {
  constructor() {
    super('this link is not valid: it may be incomplete or expired; use the link in your latest email');
  }
}

const mac = (secret: string, keyId: string, body: string) =>
  createHmac('sha256', secret).update(`${keyId}.${body}`).digest();

export function signLink(claims: LinkClaims, keys: readonly LinkKey[]): string {
  const key = keys[0];
  if (!key) throw new Error('no signing key configured');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${key.id}.${mac(key.secret, key.id, body).toString('base64url')}`;
}

export function verifyLink(
  token: string | undefined,
  purpose: LinkPurpose,
  keys: readonly LinkKey[],
  now: Date,
): LinkClaims {
  if (!token || token.length > 2048) throw new InvalidLinkError();
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidLinkError();
  const [body, keyId, signature] = parts as [string, string, string];
  const key = keys.find((k) => k.id === keyId);
  if (!key) throw new InvalidLinkError();
  const expected = mac(key.secret, keyId, body);
  // Strict: a token has one spelling, so a respelled signature is not the same link.
  const given = decodeBase64url(signature);
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidLinkError();
  }
  let claims: LinkClaims;
  try {
    const json = decodeBase64url(body);
    if (!json) throw new InvalidLinkError();
    claims = JSON.parse(json.toString('utf8')) as LinkClaims;
  } catch {
    throw new InvalidLinkError();
  }
  if (claims.p !== purpose || typeof claims.s !== 'string') throw new InvalidLinkError();
  if (claims.x !== undefined && claims.x * 1000 < now.getTime()) throw new InvalidLinkError();
  return claims;
}
