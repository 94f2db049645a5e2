import { describe, expect, it } from 'vitest';
import {
  addressWindowKey,
  consentText,
  formAgeSeconds,
  formStamp,
  keyedHash,
} from '../../functions/subscribers/consent';

const keys = [{ id: 'k2', secret: 'current-secret-current-secret-current' }];
const older = [...keys, { id: 'k1', secret: 'retired-secret-retired-secret-retired' }];
const at = new Date('2026-11-26T10:00:00Z');

describe('consent texts', () => {
  it('one version per wording and language: a changed label is a new id, the same one the same id', () => {
    const a = consentText({ subscribeConsent: 'I agree ({post}).' }, 'en', 'Embassy in Japan');
    expect(a.text).toBe('I agree (Embassy in Japan).');
    expect(consentText({ subscribeConsent: 'I agree ({post}).' }, 'en', 'Embassy in Japan').id).toBe(a.id);
    expect(
      consentText({ subscribeConsent: 'I agree, really ({post}).' }, 'en', 'Embassy in Japan').id,
    ).not.toBe(a.id);
    expect(consentText({ subscribeConsent: 'I agree ({post}).' }, 'fr', 'Embassy in Japan').id).not.toBe(
      a.id,
    );
    expect(a.id).toMatch(/^ct_[A-Za-z0-9_-]{22}$/);
  });
});

describe('the form stamp', () => {
  it('tells how long ago the form was served, with the current or an older key', () => {
    const stamp = formStamp(keys, at);
    expect(formAgeSeconds(stamp, keys, new Date(at.getTime() + 4_500))).toBe(4.5);
    const old = formStamp([{ id: 'k1', secret: 'retired-secret-retired-secret-retired' }], at);
    expect(formAgeSeconds(old, older, new Date(at.getTime() + 1_000))).toBe(1);
  });

  it('refuses a missing, forged, altered or unknown-key stamp', () => {
    const stamp = formStamp(keys, at);
    const [issued, keyId, mac] = stamp.split('.');
    const later = new Date(at.getTime() + 60_000);
    expect(formAgeSeconds(undefined, keys, later)).toBeUndefined();
    expect(formAgeSeconds('', keys, later)).toBeUndefined();
    // An older time with the same signature: the signature covers the time.
    expect(formAgeSeconds(`${Number(issued) - 3_600_000}.${keyId}.${mac}`, keys, later)).toBeUndefined();
    expect(
      formAgeSeconds(formStamp([{ id: 'k2', secret: 'guessed-guessed-guessed-guessed' }], at), keys, later),
    ).toBeUndefined();
    expect(
      formAgeSeconds(formStamp([{ id: 'k9', secret: 'x'.repeat(32) }], at), keys, later),
    ).toBeUndefined();
  });
});

describe('keyed hashes', () => {
  it('hide the value, depend on the key, and give one window per address however it is spelled', () => {
    const h = keyedHash('salt-a', '203.0.113.9|ua');
    expect(h).not.toContain('203.0.113.9');
    expect(keyedHash('salt-b', '203.0.113.9|ua')).not.toBe(h);
    expect(addressWindowKey('salt-a', 'Ada@Example.org')).toBe(
      addressWindowKey('salt-a', ' ada@example.org '),
    );
    expect(addressWindowKey('salt-a', 'ada@example.org')).not.toContain('ada');
  });
});
