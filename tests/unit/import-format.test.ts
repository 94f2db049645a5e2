import { describe, expect, it } from 'vitest';
import {
  detectDelimiter,
  importTime,
  mailchimpStatus,
  mapColumns,
  mergeFieldColumns,
  parseColumnMap,
  parseTags,
} from '../../functions/subscribers/import/format';

describe('reading import files', () => {
  it("takes the status from Mailchimp's current and older file names only", () => {
    expect(mailchimpStatus('subscribed_email_audience_export_37a135f743.csv')).toBe('subscribed');
    expect(mailchimpStatus('members_export_9f/unsubscribed_members_export_9f2c1a.csv')).toBe('unsubscribed');
    expect(mailchimpStatus('cleaned_email_audience_export_x.csv')).toBe('cleaned');
    expect(mailchimpStatus('nonsubscribed_members_export_x.csv')).toBe('nonsubscribed');
    expect(mailchimpStatus('subscribers.csv')).toBeUndefined();
    expect(mailchimpStatus('subscribed_email_audience_export_x.xlsx')).toBeUndefined();
  });

  it('finds the delimiter of a header, ignoring quoted ones', () => {
    expect(detectDelimiter('"Email Address","First Name",MEMBER_RATING')).toBe(',');
    expect(detectDelimiter('"Naam, voornaam";Email;Taal')).toBe(';');
    expect(detectDelimiter('Email\tName')).toBe('\t');
    expect(detectDelimiter('Email')).toBe(',');
  });

  it('maps Mailchimp columns, common names and --map, and names what is wrong in one line', () => {
    expect(
      mapColumns(
        'f.csv',
        ['Email Address', 'First Name', 'Last Name', 'Address', 'MEMBER_RATING', 'OPTIN_TIME'],
        new Map(),
      ),
    ).toEqual(['email', 'first_name', 'last_name', undefined, undefined, 'optin_time']);
    expect(mapColumns('f.csv', ['E-mail', 'Voornaam', 'Naam'], new Map())).toEqual([
      'email',
      'first_name',
      'last_name',
    ]);
    expect(mapColumns('f.csv', ['YMP0', 'Field1'], parseColumnMap('YMP0=email,Field1=name'))).toEqual([
      'email',
      'name',
    ]);
    expect(() => mapColumns('f.csv', ['Who', 'When'], new Map())).toThrow(
      "f.csv:1: no email column in the header (Who, When); name it with --map 'Column=email'",
    );
    expect(() => parseColumnMap('Who=mail')).toThrow('--map: "mail" is not a field');
    expect(() => parseColumnMap('Who')).toThrow('--map: "Who" is not Column=field');
    expect(() => mapColumns('f.csv', ['Email'], parseColumnMap('Courriel=email'))).toThrow(
      'f.csv: --map names a column "courriel" the header does not have',
    );
  });

  it("reads Mailchimp's times as UTC and leaves out what is not a time", () => {
    expect(importTime('2024-03-01 09:15:00')).toBe('2024-03-01T09:15:00.000Z');
    expect(importTime('2024-03-01T09:15:00+01:00')).toBe('2024-03-01T08:15:00.000Z');
    expect(importTime('')).toBeUndefined();
    expect(importTime('yesterday')).toBeUndefined();
  });

  it("reads Mailchimp's TAGS field (a quoted list) and a plain list, capped, without empties or repeats", () => {
    expect(parseTags('"Member","2025 waiver","Trade, fairs"')).toEqual([
      'Member',
      '2025 waiver',
      'Trade, fairs',
    ]);
    expect(parseTags('"Said ""hi""",""')).toEqual(['Said "hi"']);
    expect(parseTags('vip, press , vip,')).toEqual(['vip', 'press']);
    expect(parseTags(undefined)).toEqual([]);
    expect(parseTags(Array.from({ length: 80 }, (_, i) => `"t${i}"`).join(','))).toHaveLength(50);
  });

  it('finds the merge-field columns between "Last Name" and MEMBER_RATING, but those --map uses', () => {
    const header = [
      'Email Address',
      'First Name',
      'Last Name',
      'Company',
      'Phone Number',
      'MEMBER_RATING',
      'TAGS',
    ];
    expect(mergeFieldColumns(header, new Map())).toEqual([
      { index: 3, name: 'Company' },
      { index: 4, name: 'Phone Number' },
    ]);
    expect(mergeFieldColumns(header, new Map([['Company', 'name']]))).toEqual([
      { index: 4, name: 'Phone Number' },
    ]);
    expect(mergeFieldColumns(['Email', 'Name', 'Company'], new Map())).toEqual([]);
  });
});
