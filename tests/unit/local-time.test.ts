import { describe, expect, it } from 'vitest';
import { isTimeZone, parseLocalOrInstant, zonedTime, zonedToUtc } from '../../functions/core/local-time';

const utc = (local: string, zone: string) => zonedToUtc(local, zone).toISOString();

describe("a post's local time", () => {
  it('reads a time without an offset in the zone: Tokyo, Brussels in winter and in summer', () => {
    expect(utc('2027-01-05T09:00', 'Asia/Tokyo')).toBe('2027-01-05T00:00:00.000Z');
    expect(utc('2027-01-05T09:00', 'Europe/Brussels')).toBe('2027-01-05T08:00:00.000Z');
    expect(utc('2027-07-05T09:00', 'Europe/Brussels')).toBe('2027-07-05T07:00:00.000Z');
    expect(utc('2027-07-05T09:00', 'America/New_York')).toBe('2027-07-05T13:00:00.000Z');
  });

  it('is exact on both sides of the spring and autumn changes (Europe/Brussels, 2027)', () => {
    // 28 March 2027: 02:00 CET becomes 03:00 CEST.
    expect(utc('2027-03-28T01:59', 'Europe/Brussels')).toBe('2027-03-28T00:59:00.000Z');
    expect(utc('2027-03-28T03:00', 'Europe/Brussels')).toBe('2027-03-28T01:00:00.000Z');
    // 31 October 2027: 03:00 CEST becomes 02:00 CET.
    expect(utc('2027-10-31T01:59', 'Europe/Brussels')).toBe('2027-10-30T23:59:00.000Z');
    expect(utc('2027-10-31T03:00', 'Europe/Brussels')).toBe('2027-10-31T02:00:00.000Z');
  });

  it('refuses a time the clocks skip, and asks for the offset of a time they pass twice', () => {
    expect(() => zonedToUtc('2027-03-28T02:30', 'Europe/Brussels')).toThrow(
      'at: 2027-03-28T02:30 does not exist in Europe/Brussels (the clocks go forward then): choose another time',
    );
    expect(() => zonedToUtc('2027-10-31T02:30', 'Europe/Brussels')).toThrow(
      'at: 2027-10-31T02:30 happens twice in Europe/Brussels (the clocks go back then): give the offset, 2027-10-31T02:30+02:00 or 2027-10-31T02:30+01:00',
    );
    expect(parseLocalOrInstant('2027-10-31T02:30+01:00', 'Europe/Brussels').toISOString()).toBe(
      '2027-10-31T01:30:00.000Z',
    );
  });

  it('takes a time with an offset or Z as it is, and refuses what is not a date and time', () => {
    expect(parseLocalOrInstant('2027-01-05T09:00Z', 'Asia/Tokyo').toISOString()).toBe(
      '2027-01-05T09:00:00.000Z',
    );
    expect(parseLocalOrInstant('2027-01-05T09:00+01:00', 'Asia/Tokyo').toISOString()).toBe(
      '2027-01-05T08:00:00.000Z',
    );
    expect(() => parseLocalOrInstant('tomorrow', 'Asia/Tokyo')).toThrow(/at must be a date and time such as/);
    // What was typed is quoted short: a 10 KB value is not sent back whole.
    expect(() => parseLocalOrInstant('x'.repeat(10_000), 'Asia/Tokyo')).toThrow(/, got "x{79}…"$/);
    expect(() => parseLocalOrInstant('2027-02-30T09:00', 'Asia/Tokyo')).toThrow(
      /is not a date and time that exists/,
    );
  });

  it('shows an instant as the local time with its zone and offset, and as UTC', () => {
    expect(zonedTime(new Date('2027-07-05T07:00:00Z'), 'Europe/Brussels')).toEqual({
      local: '2027-07-05T09:00:00+02:00',
      timeZone: 'Europe/Brussels',
      utc: '2027-07-05T07:00:00.000Z',
      text: '2027-07-05 09:00 Europe/Brussels (UTC+02:00) = 2027-07-05 07:00 UTC',
    });
    expect(zonedTime(new Date('2027-01-05T00:00:00Z'), 'Asia/Tokyo').text).toBe(
      '2027-01-05 09:00 Asia/Tokyo (UTC+09:00) = 2027-01-05 00:00 UTC',
    );
    expect(zonedTime(new Date('2027-01-05T14:30:00Z'), 'America/Sao_Paulo').local).toBe(
      '2027-01-05T11:30:00-03:00',
    );
  });

  it('knows IANA zone names', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
