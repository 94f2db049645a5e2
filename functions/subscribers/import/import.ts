import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stripBidiControls } from '../../core/control-chars';
import { ValidationError } from '../../core/errors';
import {
  type Language,
  normaliseEmail,
  type Post,
  type Subscriber,
  type Subscription,
  type SubscriptionConsent,
  type SubscriptionStatus,
} from '../../core/model';
import { checkAddress } from '../address';
import { personId } from '../consent';
import type { SubscriberRepository, SuppressionRepository } from '../ports';
import {
  detectDelimiter,
  IMPORT_EXTRAS,
  type ImportField,
  type ImportSource,
  type ImportStatus,
  importTime,
  isMailchimpHeader,
  mailchimpStatus,
  mapColumns,
  mergeFieldColumns,
  parseTags,
  sniffText,
} from './format';
import { emptyReport, type ImportReport, note } from './report';
import { SeenAddresses } from './seen';

export interface ImportDeps {
  readonly subscribers: SubscriberRepository;
  readonly suppressions: SuppressionRepository;
  /** The key of new people's ids (the current signing key, as sign-ups use: `personId`). */
  readonly personKey: string;
}

export interface ImportOptions {
  readonly post: Post;
  /** The post audience the people join; may be left out when the post has one audience. */
  readonly audience?: string;
  readonly format: 'auto' | 'mailchimp' | 'csv';
  readonly map: ReadonlyMap<string, ImportField>;
  /** The status of every row of every file (Ymlp, plain CSV); Mailchimp's comes from the file name. */
  readonly status?: 'subscribed' | 'unsubscribed' | 'bounced';
  readonly dryRun: boolean;
  readonly now: string;
  /** Rows looked up and written together (reads of 100, writes of 25 under it). */
  readonly batchSize?: number;
  /** Called after each batch with the rows read so far. */
  readonly onProgress?: (rows: number) => void;
}

interface Row {
  readonly file: string;
  readonly line: number;
  readonly status: ImportStatus;
  readonly source: string;
  readonly fields: Partial<Record<ImportField, string>>;
  /** The audience's own merge fields (Mailchimp), by column name. */
  readonly extra?: Record<string, string>;
}

interface CheckedRow extends Row {
  readonly email: string;
}

/**
 * Imports people from Mailchimp exports, Ymlp lists and any CSV into one post audience,
 * streaming: rows are read one by one and looked up and written a batch at a time, so
 * memory stays flat (but for a 20-byte digest per address, to find duplicates in the file).
 * A bad row is reported and never stops the rest; a second import of the same files
 * changes nothing; a suppressed (or erased) address is never brought back; an
 * unsubscribe is never undone by an import.
 */
export async function importSubscribers(
  deps: ImportDeps,
  options: ImportOptions,
  sources: readonly ImportSource[],
): Promise<ImportReport> {
  const { post } = options;
  const audience = options.audience ?? (post.audiences.length === 1 ? post.audiences[0]?.id : undefined);
  if (!audience)
    throw new ValidationError(
      `--audience is required: ${post.code} has audiences ${post.audiences.map((a) => a.id).join(', ')}`,
    );
  if (!post.audiences.some((a) => a.id === audience))
    throw new ValidationError(
      `--audience: ${post.code} has no audience "${audience}" (it has ${post.audiences.map((a) => a.id).join(', ')})`,
    );
  const csvFiles = sources.filter((s) => /\.(csv|txt|tsv)$/i.test(s.name) || !s.name.includes('.'));
  if (csvFiles.length === 0)
    throw new ValidationError(
      `no CSV file to import (found ${sources.map((s) => s.name).join(', ') || 'nothing'})`,
    );

  // Check every file before writing anything: a wrong file is refused whole.
  const plans = [];
  for (const source of csvFiles) {
    // --format csv reads every file as plain CSV, whatever its name.
    const fromName = options.format === 'csv' ? undefined : mailchimpStatus(source.name);
    const status: ImportStatus | undefined = options.status ?? fromName;
    const text = await sniffText(source);
    const delimiter = detectDelimiter(text.header);
    // The header's columns are checked now, so a file without an email column stops the import before any write.
    mapColumns(source.name, headerColumns(source.name, text.header, delimiter), options.map);
    const mailchimpLayout = isMailchimpHeader(text.header.split(delimiter).map((c) => c.replace(/"/g, '')));
    if (!status && (options.format === 'mailchimp' || (options.format === 'auto' && mailchimpLayout)))
      throw new ValidationError(
        `${source.name}: a Mailchimp export whose name does not say the status (subscribed_/unsubscribed_/cleaned_/nonsubscribed_…_export_<id>.csv); give --status`,
      );
    plans.push({
      source,
      status: status ?? 'subscribed',
      kind: fromName ? 'mailchimp' : 'csv',
      ...text,
      delimiter,
    });
  }

  const report = emptyReport(post.code, audience, options.dryRun);
  /** Each address seen, with its file's index and line (about 30 bytes an address). */
  const seen = new SeenAddresses();
  const batchSize = options.batchSize ?? 500;
  const writer = new WritesBehind();
  for (const plan of plans) {
    const file = plan.source.name;
    const entry = {
      name: file,
      status: plan.status,
      encoding: plan.encoding,
      delimiter: plan.delimiter,
      rows: 0,
    };
    report.files.push(entry);
    const source = `import:${plan.kind}:${file.split('/').pop() ?? file}`.slice(0, 80);
    let fields: (ImportField | undefined)[] | undefined;
    let mergeFields: { index: number; name: string }[] = [];
    // Records as arrays (no object per row); the first one is the header.
    const parser = parse({
      delimiter: plan.delimiter,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      relax_quotes: false,
    });
    parser.on('skip', (error: Error & { lines?: number }) => {
      report.rows++;
      entry.rows++;
      note(report.malformed, {
        file,
        line: error.lines ?? 0,
        reason: error.message.replace(/ (on|at) line \d+.*$/, ''),
      });
    });
    const stream = await plan.source.open();
    const decoded = stream.pipe(decoder(plan.encoding));
    stream.on('error', (e) => decoded.destroy(e));
    decoded.pipe(parser);
    decoded.on('error', (e) => parser.destroy(e));
    let batch: Row[] = [];
    /** A failure of the store, not of the file: thrown as it is. */
    let storeError: unknown;
    const flush = async (rows: readonly Row[]) => {
      try {
        await writer.queue(await checkBatch(deps, options, audience, report, seen, rows));
      } catch (error) {
        storeError = error;
        throw error;
      }
    };
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>) {
        if (!fields) {
          fields = mapColumns(file, record, options.map);
          mergeFields = mergeFieldColumns(record, options.map);
          continue;
        }
        report.rows++;
        entry.rows++;
        const values: Partial<Record<ImportField, string>> = {};
        for (let i = 0; i < fields.length; i++) {
          const field = fields[i];
          const value = field ? record[i]?.trim() : undefined;
          if (field && value) values[field] = value;
        }
        let extra: Record<string, string> | undefined;
        for (const { index, name } of mergeFields) {
          const value = record[index]?.trim();
          if (!value) continue;
          extra ??= {};
          extra[name] = value.slice(0, IMPORT_EXTRAS.valueLength);
        }
        batch.push({
          file,
          line: info.lines,
          status: plan.status,
          source,
          fields: values,
          ...(extra ? { extra } : {}),
        });
        if (batch.length >= batchSize) {
          await flush(batch);
          batch = [];
          options.onProgress?.(report.rows);
        }
      }
    } catch (error) {
      if (error instanceof ValidationError || error === storeError) throw error;
      throw new ValidationError(`${file}: cannot be read as CSV (${(error as Error).message})`, {
        cause: error,
      });
    }
    await flush(batch);
  }
  await writer.done();
  return report;
}

/**
 * A batch's writes run while the next batch is read and checked, one batch behind at
 * most: the store is kept busy without more than two batches in memory. A failed write
 * is thrown at the next batch (nothing more is written) or at the end.
 */
class WritesBehind {
  private writing: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | undefined;

  async queue(write: (() => Promise<void>) | undefined): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure.error;
    if (!write) return;
    this.writing = write().catch((error: unknown) => {
      this.failure = { error };
    });
  }

  async done(): Promise<void> {
    await this.queue(undefined);
  }
}

function headerColumns(file: string, header: string, delimiter: string): string[] {
  try {
    return (parseSync(header, { delimiter, relax_quotes: true }) as string[][])[0] ?? [];
  } catch (error) {
    throw new ValidationError(`${file}:1: the header row cannot be read (${(error as Error).message})`);
  }
}

/** Bytes to text in the file's encoding, a chunk at a time (a BOM is dropped). */
function decoder(encoding: 'utf-8' | 'latin1'): Transform {
  const text = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'windows-1252');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

const SKIP_NONSUBSCRIBED = 'not subscribed in Mailchimp (never opted in): not imported';
const SKIP_UNSUBSCRIBED = 'unsubscribed from this audience: an import does not subscribe them again';

/** Checks a batch against the file and the store, counts it in the report, and gives back its writes (none on a dry run). */
async function checkBatch(
  deps: ImportDeps,
  options: ImportOptions,
  audience: string,
  report: ImportReport,
  seen: SeenAddresses,
  rows: readonly Row[],
): Promise<(() => Promise<void>) | undefined> {
  const { post, now } = options;
  const checked: CheckedRow[] = [];
  for (const row of rows) {
    const raw = row.fields.email;
    if (!raw) {
      note(report.invalid, { file: row.file, line: row.line, reason: 'no address' });
      continue;
    }
    const address = checkAddress(raw);
    if (!address.ok) {
      note(report.invalid, { file: row.file, line: row.line, reason: address.reason });
      continue;
    }
    const email = normaliseEmail(address.email);
    if (address.suggestion)
      note(report.typos, { file: row.file, line: row.line, email, suggestion: address.suggestion });
    if (!address.deliverable)
      note(report.undeliverable, {
        file: row.file,
        line: row.line,
        email,
        reason: 'SES cannot deliver to this address',
      });
    const first = seen.firstOrRemember(email, { file: report.files.length - 1, line: row.line });
    if (first !== undefined) {
      const firstFile = report.files[first.file]?.name;
      const where = firstFile === row.file ? `line ${first.line}` : `${firstFile}:${first.line}`;
      note(report.duplicates.inFile, { file: row.file, line: row.line, reason: `same address as ${where}` });
      continue;
    }
    if (row.status === 'nonsubscribed') {
      note(report.skipped, { file: row.file, line: row.line, reason: SKIP_NONSUBSCRIBED });
      continue;
    }
    checked.push({ ...row, email });
  }
  if (checked.length === 0) return undefined;

  const emails = checked.map((r) => r.email);
  const [ids, suppressed] = await Promise.all([
    deps.subscribers.subscriberIdsByEmail(emails),
    deps.suppressions.suppressedAmong(emails),
  ]);
  const statuses = await deps.subscribers.subscriptionStatuses([...ids.values()], post.code, audience);

  const newPeople: { subscriber: Subscriber; subscriptions: Subscription[] }[] = [];
  const changed: Subscription[] = [];
  /** People already there who become confirmed: a sign-up never confirmed would expire with its TTL. */
  const kept: { id: string; email: string }[] = [];
  const newSuppressions: { email: string; detail: string }[] = [];
  for (const row of checked) {
    const existingId = ids.get(row.email);
    if (existingId) report.duplicates.withList++;
    if (row.status === 'cleaned' || row.status === 'bounced') {
      if (suppressed.has(row.email)) report.unchanged++;
      else {
        newSuppressions.push({
          email: row.email,
          detail: row.status === 'cleaned' ? 'cleaned by Mailchimp' : `bounced, imported from ${row.file}`,
        });
        report.suppressionsAdded++;
      }
      continue;
    }
    if (suppressed.has(row.email)) {
      note(report.suppressed, { file: row.file, line: row.line, reason: 'address suppressed: not imported' });
      continue;
    }
    const target: SubscriptionStatus = row.status === 'subscribed' ? 'confirmed' : 'unsubscribed';
    const current = existingId ? statuses.get(existingId) : undefined;
    if (current === target) {
      report.unchanged++;
      continue;
    }
    if (current === 'unsubscribed') {
      note(report.skipped, { file: row.file, line: row.line, reason: SKIP_UNSUBSCRIBED });
      continue;
    }
    const language = languageOf(row, post);
    // A new person's id is the one a sign-up for the address would give: racing with one writes one person.
    const subscriberId = existingId ?? personId(deps.personKey, row.email);
    const subscription: Subscription = {
      subscriberId,
      post: post.code,
      audience,
      language,
      status: target,
      updatedAt: now,
      ...(target === 'confirmed' ? { consent: consentOf(row, now) } : {}),
      ...extrasOf(row),
    };
    if (current) report.updated++;
    else report.imported++;
    if (existingId) {
      changed.push(subscription);
      if (target === 'confirmed') kept.push({ id: existingId, email: row.email });
    } else {
      const optin = importTime(row.fields.optin_time);
      newPeople.push({
        subscriber: {
          id: subscriberId,
          email: row.email,
          name: nameOf(row),
          language,
          consent: { at: optin ?? now, source: row.source },
          createdAt: now,
        },
        subscriptions: [subscription],
      });
    }
  }
  if (options.dryRun) return undefined;
  // At most WRITERS writes in flight: each waits on the store's round trip, not on this process.
  return () =>
    inPool(WRITERS, [
      ...chunks(newPeople, WRITE_CHUNK).map((people) => () => deps.subscribers.importMany(people)),
      ...chunks(changed, WRITE_CHUNK * 3).map((subs) => () => deps.subscribers.putSubscriptions(subs)),
      ...newSuppressions.map(
        ({ email, detail }) =>
          () =>
            deps.suppressions.put({ email, reason: 'bounce', at: now, detail }),
      ),
      ...kept.map((person) => () => deps.subscribers.keep(person)),
    ]);
}

/** Writes in flight at once: enough to keep the store busy (more only hold more requests in memory). */
const WRITERS = 4;

/** Runs the tasks, at most `size` at a time. */
async function inPool(size: number, tasks: readonly (() => Promise<unknown>)[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
}

/** People per concurrent write: 25 people are 75 items, three BatchWriteItem calls of 25. */
const WRITE_CHUNK = 25;
const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The row's tags and merge fields, as the subscription keeps them. */
function extrasOf(row: Row): Pick<Subscription, 'tags' | 'fields'> {
  const tags = parseTags(row.fields.tags);
  return { ...(tags.length > 0 ? { tags } : {}), ...(row.extra ? { fields: row.extra } : {}) };
}

function consentOf(row: Row, now: string): SubscriptionConsent {
  const at = importTime(row.fields.optin_time);
  const confirmedAt = importTime(row.fields.confirm_time);
  return { at: at ?? confirmedAt ?? now, source: row.source, ...(confirmedAt ? { confirmedAt } : {}) };
}

/** Without bidi overrides (they reorder a staff list's line), as the form and preference centre keep names. */
const nameOf = (row: Row): string =>
  stripBidiControls(
    row.fields.name ?? [row.fields.first_name, row.fields.last_name].filter(Boolean).join(' '),
  ).trim();

function languageOf(row: Row, post: Post): Language {
  const wanted = row.fields.language?.toLowerCase().slice(0, 2);
  return (post.languages as readonly string[]).includes(wanted ?? '')
    ? (wanted as Language)
    : post.defaultLanguage;
}
