import { describe, expect, it } from 'vitest';
import { InvalidLinkError, type LinkClaims, signLink, verifyLink } from '../../functions/core/signed-links';

const current = { id: 'k2', secret: 'c'.repeat(40) };
const previous = { id: 'k1', secret: 'p'.repeat(40) };
const now = new Date('2026-11-25T10:00:00Z');
const claims: LinkClaims = { p: 'manage', s: 'sub_123', o: 'tokyo', a: 'economic' };

const rejects = (token: string | undefined, keys = [current, previous]) =>
  expect(() => verifyLink(token, 'manage', keys, now)).toThrow(InvalidLinkError);

describe('signed public links', () => {
  it('round-trips the ids and never carries an address', () => {
    const token = signLink(claims, [current, previous]);
    expect(verifyLink(token, 'manage', [current, previous], now)).toEqual(claims);
    expect(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).not.toMatch(/@/);
  });

  it('rejects forged, altered and truncated tokens with one message', () => {
    const token = signLink(claims, [current]);
    const [body, kid, sig] = token.split('.') as [string, string, string];
    const otherBody = Buffer.from(JSON.stringify({ ...claims, s: 'sub_999' })).toString('base64url');
    rejects(`${otherBody}.${kid}.${sig}`); // altered subscriber
    rejects(`${body}.${kid}.${sig.slice(0, -2)}`); // truncated signature
    rejects(token.slice(0, 20)); // truncated token
    rejects(signLink(claims, [{ id: 'k2', secret: 'x'.repeat(40) }])); // forged with a guessed key
    rejects(`${body}.k9.${sig}`); // unknown key id
    rejects(undefined);
    rejects('');
  });

  it('accepts only the one canonical spelling of the signature (no padding, no spare bits)', () => {
    const token = signLink(claims, [current]);
    const [body, kid, sig] = token.split('.') as [string, string, string];
    // 32 bytes in 43 characters: the last one carries 4 bits, so 3 other characters
    // decode to the same bytes under a lenient decoder.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const same = [...alphabet]
      .map((c) => `${sig.slice(0, -1)}${c}`)
      .filter((s) => s !== sig && Buffer.from(s, 'base64url').equals(Buffer.from(sig, 'base64url')));
    expect(same).toHaveLength(3);
    for (const respelled of same) rejects(`${body}.${kid}.${respelled}`);
    rejects(`${body}.${kid}.${sig}=`);
    rejects(`${body}.${kid}.${sig}==`);
    const base64 = Buffer.from(sig, 'base64url').toString('base64').replace(/=+$/, '');
    if (base64 !== sig) rejects(`${body}.${kid}.${base64}`); // the same bytes in base64, not base64url
    expect(verifyLink(token, 'manage', [current], now)).toEqual(claims);
  });

  it('refuses a token made for another purpose', () => {
    const web = signLink({ ...claims, p: 'read' }, [current]);
    expect(() => verifyLink(web, 'manage', [current], now)).toThrow(InvalidLinkError);
  });

  it('refuses an expired token', () => {
    const token = signLink({ ...claims, x: Math.floor(now.getTime() / 1000) - 1 }, [current]);
    rejects(token);
  });

  it('keeps old links working after a key rotation, as long as the old key stays configured', () => {
    const old = signLink(claims, [previous]);
    expect(verifyLink(old, 'manage', [current, previous], now).s).toBe('sub_123');
    rejects(old, [current]); // the old key retired: its links stop working
  });
});
