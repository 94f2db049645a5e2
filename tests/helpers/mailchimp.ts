import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { ZipFile } from 'yazl';

/** Mailchimp's header rows (current exports: merge fields Address/Phone Number/Birthday). */
export const MAILCHIMP_HEADERS = {
  subscribed:
    'Email Address,First Name,Last Name,Address,Phone Number,Birthday,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS',
  unsubscribed:
    'Email Address,First Name,Last Name,Address,Phone Number,Birthday,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER,LEID,EUID,NOTES,TAGS',
  cleaned:
    'Email Address,First Name,Last Name,Address,Phone Number,Birthday,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID,LEID,EUID,NOTES,TAGS',
  /** The 2015 layout, as Mailchimp quoted it: only names with a space. */
  older:
    '"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES',
} as const;

type Kind = keyof typeof MAILCHIMP_HEADERS;

/** One data row for a header: the person's fields where the header has them, Mailchimp's usual values elsewhere. */
export function mailchimpRow(kind: Kind, email: string, first: string, last: string): string {
  const columns = MAILCHIMP_HEADERS[kind].split(',').map((c) => c.replace(/"/g, ''));
  return columns
    .map((c) => {
      switch (c) {
        case 'Email Address':
          return email;
        case 'First Name':
          return first;
        case 'Last Name':
          return last;
        case 'Address':
          return '"1 Rue de la Loi, 1000 Brussels"';
        case 'MEMBER_RATING':
          return '2';
        case 'OPTIN_TIME':
          return '"2024-03-01 09:15:00"';
        case 'CONFIRM_TIME':
          return '"2024-03-01 09:20:00"';
        case 'TAGS':
          return '"""Member"",""2025 waiver"""';
        case 'LEID':
          return '123456';
        default:
          return '';
      }
    })
    .join(',');
}

export const mailchimpFile = (kind: Kind, people: readonly [string, string, string][]): string =>
  `${[MAILCHIMP_HEADERS[kind], ...people.map(([e, f, l]) => mailchimpRow(kind, e, f, l))].join('\r\n')}\r\n`;

/** A ZIP as Mailchimp sends it: one CSV per status. */
export async function writeZip(path: string, files: Record<string, string | Buffer>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, body] of Object.entries(files)) zip.addBuffer(Buffer.from(body), name);
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await once(out, 'close');
}
