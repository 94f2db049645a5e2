import type { ImportStatus, TextEncoding } from './format';

/** A row the report points at: file and line (1 is the header). */
export interface RowNote {
  readonly file: string;
  readonly line: number;
  readonly reason?: string;
  readonly email?: string;
  readonly suggestion?: string;
}

/** A list in the report: how many, and the first ones (a 200,000-row file keeps the report small). */
export interface NoteList {
  count: number;
  readonly rows: RowNote[];
}

const KEEP = 1000;
export const noteList = (): NoteList => ({ count: 0, rows: [] });
export function note(list: NoteList, row: RowNote): void {
  list.count++;
  if (list.rows.length < KEEP) list.rows.push(row);
}

/**
 * What an import did (or, dry run, would do). `imported` counts subscriptions created
 * (confirmed for subscribed rows, unsubscribed records for unsubscribed rows), `updated`
 * subscriptions whose status changed, `unchanged` rows the list already had as they say.
 */
export interface ImportReport {
  readonly post: string;
  readonly audience: string;
  readonly dryRun: boolean;
  readonly files: {
    name: string;
    status: ImportStatus;
    encoding: TextEncoding;
    delimiter: string;
    rows: number;
  }[];
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  /** Addresses added to the suppression list (Mailchimp cleaned, Ymlp bounced). */
  suppressionsAdded: number;
  readonly duplicates: {
    /** The same address again in the import: the first row counts, this one is skipped. */
    readonly inFile: NoteList;
    /** Rows whose address already belonged to a person on the list (one person stored once). */
    withList: number;
  };
  /** Rows whose address is not an address. */
  readonly invalid: NoteList;
  /** Rows the CSV reader could not read (unclosed quote, wrong number of fields). */
  readonly malformed: NoteList;
  /** Probable typos of big domains (`gmial.com`): imported as written, reported. */
  readonly typos: NoteList;
  /** Addresses SES cannot deliver to (a local part beyond ASCII): kept, reported. */
  readonly undeliverable: NoteList;
  /** Rows whose address is suppressed (bounced, complained, cleaned or erased): never revived. */
  readonly suppressed: NoteList;
  /** Rows left out on purpose, with the reason. */
  readonly skipped: NoteList;
}

export const emptyReport = (post: string, audience: string, dryRun: boolean): ImportReport => ({
  post,
  audience,
  dryRun,
  files: [],
  rows: 0,
  imported: 0,
  updated: 0,
  unchanged: 0,
  suppressionsAdded: 0,
  duplicates: { inFile: noteList(), withList: 0 },
  invalid: noteList(),
  malformed: noteList(),
  typos: noteList(),
  undeliverable: noteList(),
  suppressed: noteList(),
  skipped: noteList(),
});

/** The report for people: counts, then the lines to look at. */
export function formatReport(r: ImportReport): string {
  const out = [
    `${r.dryRun ? 'dry run (nothing written): ' : ''}${r.rows} rows into ${r.post}/${r.audience}`,
    ...r.files.map(
      (f) =>
        `  ${f.name}: ${f.rows} rows, ${f.status}, ${f.encoding}, delimiter ${JSON.stringify(f.delimiter)}`,
    ),
    `imported ${r.imported}, updated ${r.updated}, unchanged ${r.unchanged}, suppressions added ${r.suppressionsAdded}`,
    `duplicates: ${r.duplicates.inFile.count} within the file, ${r.duplicates.withList} already on the list`,
  ];
  const lists: [string, NoteList][] = [
    ['invalid addresses', r.invalid],
    ['malformed rows', r.malformed],
    ['duplicate rows', r.duplicates.inFile],
    ['possible typos', r.typos],
    ['not deliverable through SES', r.undeliverable],
    ['suppressed, not imported', r.suppressed],
    ['skipped', r.skipped],
  ];
  for (const [label, list] of lists) {
    if (list.count === 0) continue;
    out.push(`${label}: ${list.count}`);
    for (const n of list.rows.slice(0, 50)) {
      const what = [n.email, n.reason, n.suggestion ? `did you mean ${n.suggestion}?` : undefined];
      out.push(`  ${n.file}:${n.line}: ${what.filter(Boolean).join(': ')}`);
    }
    if (list.count > 50) out.push(`  … ${list.count - 50} more (see --json)`);
  }
  return out.join('\n');
}
