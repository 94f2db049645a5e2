import { describe, expect, it } from 'vitest';
import { prepareMime } from '../../functions/adapters/ses/mime';
import type { Envelope } from '../../functions/core/mail';
import { checkMonth, isFirstWorkingDay, previousMonth } from '../../functions/reports/digest';

const at = (day: string) => new Date(`${day}T06:00:00Z`);

describe('the monthly digest runs on the first working day of the month', () => {
  it('is the 1st when it is a weekday (Thursday 1 January 2026, Friday 1 May 2026)', () => {
    expect(isFirstWorkingDay(at('2026-01-01'))).toBe(true);
    expect(isFirstWorkingDay(at('2026-01-02'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-05-01'))).toBe(true);
    // Monday 4 May: Friday the 1st was the first working day.
    expect(isFirstWorkingDay(at('2026-05-04'))).toBe(false);
  });

  it('is the Monday after a weekend that starts the month', () => {
    // 1 August 2026 is a Saturday, 1 November 2026 a Sunday.
    expect(isFirstWorkingDay(at('2026-08-01'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-08-02'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-08-03'))).toBe(true);
    expect(isFirstWorkingDay(at('2026-08-04'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-11-01'))).toBe(false);
    expect(isFirstWorkingDay(at('2026-11-02'))).toBe(true);
    expect(isFirstWorkingDay(at('2026-11-03'))).toBe(false);
  });

  it('reports the month before, across a year', () => {
    expect(previousMonth(at('2026-01-01'))).toBe('2025-12');
    expect(previousMonth(at('2026-08-03'))).toBe('2026-07');
  });

  it('refuses a month that is not one, or has not started, naming it', () => {
    const now = at('2026-08-03');
    expect(checkMonth('2026-07', now)).toBe('2026-07');
    expect(checkMonth('2026-08', now)).toBe('2026-08');
    expect(() => checkMonth('2026-13', now)).toThrow('month: "2026-13" is not a month (YYYY-MM)');
    expect(() => checkMonth('July', now)).toThrow('month: "July" is not a month (YYYY-MM)');
    expect(() => checkMonth('2026-09', now)).toThrow('month: 2026-09 has not started yet');
  });
});

describe('staff mail without an unsubscribe URL', () => {
  const envelope: Envelope = {
    from: { name: 'Embassy', address: 'tokyo@newsletter.example.org' },
    subject: 'Monthly usage report',
    replyTo: 'tokyo@diplomatie.example',
    editionId: 'digest-2026-07',
    tags: { kind: 'digest', test: 'true' },
  };
  const bodies = { recipientId: 'digest_tokyo', html: '<p>Figures</p>', text: 'Figures' };

  it('has no List-Unsubscribe headers, in the template build and in the full build (address beyond ASCII)', async () => {
    const build = await prepareMime(envelope);
    for (const to of ['tokyo@diplomatie.example', 'tōkyō@diplomatie.example']) {
      const raw = (await build({ to, ...bodies })).toString('utf8');
      expect(raw, to).not.toMatch(/^List-Unsubscribe/im);
      expect(raw, to).toMatch(/^X-Missive-Recipient: digest_tokyo/m);
      expect(raw, to).toContain('Reply-To: tokyo@diplomatie.example');
    }
  });

  it('keeps both headers for a newsletter recipient of the same template', async () => {
    const build = await prepareMime(envelope);
    const unsubscribeUrl = 'https://news.example.org/unsubscribe?token=t';
    for (const to of ['someone@example.org', 'sömeone@example.org']) {
      const raw = (await build({ to, unsubscribeUrl, ...bodies })).toString('utf8');
      expect(raw, to).toContain(`List-Unsubscribe: <${unsubscribeUrl}>`);
      expect(raw, to).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    }
  });
});
