import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../functions/subscribers/address';

describe('addresses', () => {
  it('stores one form: domain case-folded and internationalised domains in punycode', () => {
    expect(checkAddress('  Jan.Peeters@Example.BE ')).toEqual({
      ok: true,
      email: 'Jan.Peeters@example.be',
      deliverable: true,
    });
    expect(checkAddress('marie@bücher.de')).toMatchObject({
      ok: true,
      email: 'marie@xn--bcher-kva.de',
      deliverable: true,
    });
  });

  it('keeps a local part beyond ASCII as data, reported as not deliverable through SES', () => {
    expect(checkAddress('josé@example.es')).toMatchObject({
      ok: true,
      email: 'josé@example.es',
      deliverable: false,
    });
  });

  it('reports obvious typos of big domains without changing the address', () => {
    expect(checkAddress('an@gmial.com')).toMatchObject({
      ok: true,
      email: 'an@gmial.com',
      suggestion: 'an@gmail.com',
    });
    expect(checkAddress('an@hotmial.be')).toMatchObject({ suggestion: 'an@hotmail.be' });
    expect(checkAddress('an@gmail.com')).not.toHaveProperty('suggestion');
    expect(checkAddress('an@diplomatie.be')).not.toHaveProperty('suggestion');
  });

  it('refuses what is not one address, saying why', () => {
    for (const bad of [
      '',
      'plain',
      '@example.org',
      'a@',
      'a@b,c.com',
      'a b@example.org',
      'a@example',
      'a@-x.com',
      'a@1.2.3.4',
      `${'x'.repeat(65)}@example.org`,
      'a..b@example.org',
    ]) {
      const r = checkAddress(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.reason.length, bad).toBeGreaterThan(3);
    }
  });
});
