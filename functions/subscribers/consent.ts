import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { normaliseEmail } from '../core/model';
import type { LinkKey } from '../core/signed-links';

/**
 * Consent evidence: the exact text a person agreed to (stored once per version, keyed
 * by a hash of its language and wording, so a changed label is a new version), the
 * client as a keyed hash (never the IP address), and the form's signed timestamp that
 * lets the minimum fill time be checked without state.
 */

export interface ConsentText {
  readonly id: string;
  readonly language: string;
  readonly text: string;
}

export const DEFAULT_CONSENT_TEXT =
  'I agree that the {post} sends me the newsletters I chose, by email, and keeps my name, address and choices for that purpose until I unsubscribe.';

/** The consent text shown for a post in one language, and its version id (content hash). */
export function consentText(
  labels: Readonly<Record<string, string>>,
  language: string,
  postName: string,
): ConsentText {
  const text = (labels.subscribeConsent ?? DEFAULT_CONSENT_TEXT).replace('{post}', postName);
  const id = `ct_${createHash('sha256').update(`${language}\n${text}`).digest('base64url').slice(0, 22)}`;
  return { id, language, text };
}

/** A keyed hash: the same client or address gives the same value, which reveals neither. */
export const keyedHash = (salt: string, value: string): string =>
  createHmac('sha256', `missive:subscribe:${salt}`).update(value).digest('base64url').slice(0, 32);

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The id a new person with this address gets, in every path (form, staff, import): a
 * keyed hash, so it reveals nothing, and two writers racing to create one person (an
 * import's batch and a sign-up) write the same person, not two. Their email claim
 * (`EMAIL#<addr>`, put under a condition by sign-ups) stays the one answer to "who is
 * this address": an existing claim's id is always used first.
 */
export function personId(salt: string, email: string): string {
  const digest = createHmac('sha256', `missive:person:${salt}`).update(normaliseEmail(email)).digest();
  let out = '';
  for (let i = 0; i < 20; i++) out += ID_ALPHABET[(digest[i] ?? 0) & 31];
  return `sub_${out}`;
}

/**
 * The rate window of one address (subscribers table `LIMIT#<this>`): one spelling per
 * person, and erasure can find it from the address and the current signing key.
 */
export const addressWindowKey = (salt: string, email: string): string =>
  `address#${keyedHash(salt, normaliseEmail(email))}`;

const stampMac = (secret: string, body: string) =>
  createHmac('sha256', `missive:form:${secret}`).update(body).digest('base64url');

/** The hidden field of the form: when it was served, signed (issued-ms . key id . mac). */
export function formStamp(keys: readonly LinkKey[], now: Date): string {
  const key = keys[0];
  if (!key) throw new Error('no signing key configured');
  const body = `${now.getTime()}.${key.id}`;
  return `${body}.${stampMac(key.secret, body)}`;
}

/** Seconds since the form was served, or undefined for a missing or forged stamp. */
export function formAgeSeconds(
  stamp: string | undefined,
  keys: readonly LinkKey[],
  now: Date,
): number | undefined {
  const [issued, keyId, mac] = (stamp ?? '').split('.');
  const key = keys.find((k) => k.id === keyId);
  if (!issued || !key || !mac || !/^\d{1,15}$/.test(issued)) return undefined;
  const expected = Buffer.from(stampMac(key.secret, `${issued}.${keyId}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return (now.getTime() - Number(issued)) / 1000;
}
