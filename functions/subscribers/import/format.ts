import type { Readable } from 'node:stream';
import { ValidationError } from '../../core/errors';

/** One file to import: a loose CSV, or one CSV inside an export ZIP. `open` may be called more than once. */
export interface ImportSource {
  readonly name: string;
  open(): Promise<Readable>;
}

/** The statuses a file can carry: Mailchimp's four files, and Ymlp's lists by `--status`. */
export const IMPORT_STATUSES = ['subscribed', 'unsubscribed', 'cleaned', 'nonsubscribed', 'bounced'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** The fields a column can feed (`--map 'Column=field'`). */
export const IMPORT_FIELDS = [
  'email',
  'name',
  'first_name',
  'last_name',
  'language',
  'optin_time',
  'confirm_time',
  'tags',
  'ignore',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/**
 * Mailchimp's file names: the current `<status>_email_audience_export_<id>.csv` and the
 * older `<status>_members_export_<id>.csv`. The status is known only from the name.
 */
const MAILCHIMP_NAME =
  /^(subscribed|unsubscribed|cleaned|nonsubscribed)_(?:email_audience|members)_export_[^/]*\.csv$/i;

export function mailchimpStatus(fileName: string): ImportStatus | undefined {
  const base = fileName.split('/').pop() ?? fileName;
  return MAILCHIMP_NAME.exec(base)?.[1]?.toLowerCase() as ImportStatus | undefined;
}

/** Mailchimp's fixed columns; its merge fields (between "Last Name" and MEMBER_RATING) are read by `mergeFieldColumns`. */
const MAILCHIMP_COLUMNS: Record<string, ImportField> = {
  'email address': 'email',
  'first name': 'first_name',
  'last name': 'last_name',
  optin_time: 'optin_time',
  confirm_time: 'confirm_time',
  tags: 'tags',
};

/** Caps on what an import keeps of a row's tags and merge fields (data a post may use, not a store of its own). */
export const IMPORT_EXTRAS = {
  tags: 50,
  tagLength: 100,
  fields: 20,
  nameLength: 50,
  valueLength: 250,
} as const;

/**
 * The audience's own merge-field columns of a Mailchimp header (index and name): the
 * columns between "Last Name" and MEMBER_RATING, but those `--map` gives a field.
 */
export function mergeFieldColumns(
  columns: readonly string[],
  map: ReadonlyMap<string, ImportField>,
): { index: number; name: string }[] {
  if (!isMailchimpHeader(columns)) return [];
  const names = columns.map((c) => c.trim());
  const lower = names.map((c) => c.toLowerCase());
  const mapped = new Set([...map.keys()].map((k) => k.trim().toLowerCase()));
  const from = lower.indexOf('last name');
  const to = lower.indexOf('member_rating');
  if (from < 0 || to < from) return [];
  return names
    .map((name, index) => ({ index, name: name.slice(0, IMPORT_EXTRAS.nameLength) }))
    .slice(from + 1, to)
    .filter((c) => c.name && !mapped.has(c.name.toLowerCase()))
    .slice(0, IMPORT_EXTRAS.fields);
}

/**
 * Mailchimp's TAGS field: one CSV field holding a quoted list (`"Member","2025 waiver"`),
 * as a list of tags; a plain `a, b` list is read too. Empty tags and repeats are dropped.
 */
export function parseTags(value: string | undefined): string[] {
  const text = value?.trim();
  if (!text) return [];
  const tags: string[] = [];
  const quoted = /"((?:[^"]|"")*)"/g;
  const parts = text.startsWith('"')
    ? [...text.matchAll(quoted)].map((m) => m[1]?.replace(/""/g, '"') ?? '')
    : text.split(',');
  for (const part of parts) {
    const tag = part.trim().slice(0, IMPORT_EXTRAS.tagLength);
    if (tag && !tags.includes(tag)) tags.push(tag);
    if (tags.length >= IMPORT_EXTRAS.tags) break;
  }
  return tags;
}

export const isMailchimpHeader = (columns: readonly string[]): boolean => {
  const names = new Set(columns.map((c) => c.trim().toLowerCase()));
  return names.has('email address') && names.has('member_rating');
};

/** Header names of other tools and people, compared without case, spaces, dashes or underscores. */
const KNOWN_COLUMNS: Record<string, ImportField> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  courriel: 'email',
  adresseemail: 'email',
  emailadres: 'email',
  name: 'name',
  fullname: 'name',
  nom: 'name',
  naam: 'name',
  firstname: 'first_name',
  givenname: 'first_name',
  prenom: 'first_name',
  voornaam: 'first_name',
  vorname: 'first_name',
  lastname: 'last_name',
  surname: 'last_name',
  familyname: 'last_name',
  nomdefamille: 'last_name',
  achternaam: 'last_name',
  nachname: 'last_name',
  language: 'language',
  lang: 'language',
  langue: 'language',
  taal: 'language',
  sprache: 'language',
  optintime: 'optin_time',
  confirmtime: 'confirm_time',
  tags: 'tags',
};

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');

/** Parses `--map 'Column=field,Other=field'` into column name → field. */
export function parseColumnMap(text: string | undefined): Map<string, ImportField> {
  const map = new Map<string, ImportField>();
  if (!text?.trim()) return map;
  for (const pair of text.split(',')) {
    const at = pair.lastIndexOf('=');
    const column = pair.slice(0, at).trim();
    const field = pair
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (at <= 0 || !column) throw new ValidationError(`--map: "${pair.trim()}" is not Column=field`);
    if (!(IMPORT_FIELDS as readonly string[]).includes(field))
      throw new ValidationError(`--map: "${field}" is not a field (one of ${IMPORT_FIELDS.join(', ')})`);
    map.set(column, field as ImportField);
  }
  return map;
}

/** Which field each column feeds: `--map` first, then Mailchimp's names, then common names. */
export function mapColumns(
  file: string,
  columns: readonly string[],
  map: ReadonlyMap<string, ImportField>,
): (ImportField | undefined)[] {
  const mailchimp = isMailchimpHeader(columns);
  const lowerMap = new Map([...map].map(([k, v]) => [k.trim().toLowerCase(), v]));
  const fields = columns.map((raw) => {
    const c = raw.trim();
    const mapped = lowerMap.get(c.toLowerCase());
    if (mapped) return mapped === 'ignore' ? undefined : mapped;
    if (mailchimp) return MAILCHIMP_COLUMNS[c.toLowerCase()];
    return KNOWN_COLUMNS[fold(c)];
  });
  // "Prénom;Nom", "Voornaam;Naam": beside a first name, a bare name is the family name.
  if (fields.includes('first_name') && !fields.includes('last_name'))
    fields.forEach((f, i) => {
      if (f === 'name' && !lowerMap.has(columns[i]?.trim().toLowerCase() ?? '')) fields[i] = 'last_name';
    });
  for (const column of lowerMap.keys())
    if (!columns.some((c) => c.trim().toLowerCase() === column))
      throw new ValidationError(`${file}: --map names a column "${column}" the header does not have`);
  const emails = fields.filter((f) => f === 'email').length;
  if (emails === 0)
    throw new ValidationError(
      `${file}:1: no email column in the header (${columns.slice(0, 8).join(', ')}); name it with --map 'Column=email'`,
    );
  if (emails > 1) throw new ValidationError(`${file}:1: more than one column is an email column`);
  return fields;
}

/** The delimiter of a header line: the most frequent of comma, semicolon and tab outside quotes. */
export function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const best = (Object.entries(counts) as [',' | ';' | '\t', number][]).sort((a, b) => b[1] - a[1])[0];
  return best && best[1] > 0 ? best[0] : ',';
}

export type TextEncoding = 'utf-8' | 'latin1';

const SNIFF = 64 * 1024;

/**
 * Reads the file once to learn its encoding: UTF-8 (with or without BOM) when every
 * byte sequence is valid UTF-8, else Latin-1 (Windows-1252, as spreadsheets write it).
 * A file with NUL bytes or control characters, or UTF-16, is not a CSV export: refused.
 * Returns the encoding and the first line, for the delimiter.
 */
export async function sniffText(source: ImportSource): Promise<{ encoding: TextEncoding; header: string }> {
  const stream = await source.open();
  const strict = new TextDecoder('utf-8', { fatal: true });
  let head = Buffer.alloc(0);
  let utf8 = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (head.length < SNIFF) head = Buffer.concat([head, chunk.subarray(0, SNIFF - head.length)]);
    if (utf8) {
      try {
        strict.decode(chunk, { stream: true });
      } catch {
        utf8 = false;
        // The encoding is known; the rest of the file need not be read twice.
        if (head.length >= SNIFF) break;
      }
    }
  }
  stream.destroy();
  if (utf8) {
    try {
      strict.decode();
    } catch {
      utf8 = false;
    }
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    throw new ValidationError(`${source.name}: the file is UTF-16; save it as CSV UTF-8 and import it again`);
  const encoding: TextEncoding = utf8 ? 'utf-8' : 'latin1';
  const text = new TextDecoder(utf8 ? 'utf-8' : 'windows-1252').decode(head);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for binary content on purpose
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control)
    throw new ValidationError(
      `${source.name}: not a CSV text file (binary content near byte ${control.index}); export the list as CSV`,
    );
  if (!text.trim()) throw new ValidationError(`${source.name}: the file is empty`);
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return { encoding, header };
}

/** A timestamp as Mailchimp writes it ("2025-01-31 14:05:00", UTC) or ISO 8601, as ISO; else undefined. */
export function importTime(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) ? `${v.replace(' ', 'T')}Z` : v;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) || !/^\d{4}-/.test(v) ? undefined : date.toISOString();
}
