import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../core/access';
import type { AuditTrail } from '../core/audit';
import { NotFoundError, ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import type { Language, Subscription, SubscriptionStatus } from '../core/model';
import type { Clock, Page, PageRequest } from '../core/ports';
import type { PersonalDataStore, SubscriberRepository, SuppressionRepository } from './ports';

/** What staff work on a post's people, suppressions and GDPR requests needs (wired in app.ts). */
export interface StaffDeps {
  readonly subscribers: SubscriberRepository;
  readonly suppressions: SuppressionRepository;
  readonly personalData: PersonalDataStore;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  /** A keyed hash (HMAC) of a value: what the audit trail keeps of an erased person. */
  readonly pseudonym: (value: string) => string;
}

export interface SubscriberFilter {
  readonly status?: SubscriptionStatus;
  readonly audience?: string;
  readonly language?: Language;
  /** Words looked for in the name or the address, case-insensitively. */
  readonly text?: string;
}

/** One subscription of a post, with the person's name and address (what staff see). */
export interface SubscriberRow {
  readonly subscriberId: string;
  readonly email: string;
  readonly name: string;
  readonly audience: string;
  readonly language: Language;
  readonly status: SubscriptionStatus;
  readonly updatedAt: string;
  readonly consent?: Subscription['consent'];
}

/** Reads past this many subscriptions without filling a page answer with a cursor to go on. */
const MAX_READ_PER_PAGE = 5000;

function matches(row: SubscriberRow, filter: SubscriberFilter): boolean {
  if (filter.audience && row.audience !== filter.audience) return false;
  if (filter.language && row.language !== filter.language) return false;
  if (filter.text) {
    const hay = `${row.name}\n${row.email}`.toLowerCase();
    return filter.text
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .every((word) => hay.includes(word));
  }
  return true;
}

/**
 * A post's subscriptions with their people, filtered, page by page (the byPost index,
 * by status when given). Each read asks only for what the page still lacks, so no
 * row is skipped between pages; a page may be short with a cursor when the filter is
 * rare (at most MAX_READ_PER_PAGE subscriptions are read per page).
 */
async function readRows(
  deps: StaffDeps,
  post: string,
  filter: SubscriberFilter,
  page: PageRequest,
): Promise<Page<SubscriberRow>> {
  const limit = page.limit ?? 100;
  const rows: SubscriberRow[] = [];
  let cursor = page.cursor;
  let read = 0;
  do {
    const got = await deps.subscribers.subscriptionsOfPost(post, filter.status, {
      limit: limit - rows.length,
      ...(cursor ? { cursor } : {}),
    });
    read += got.items.length;
    const people = await deps.subscribers.getMany(got.items.map((s) => s.subscriberId));
    for (const s of got.items) {
      const person = people.get(s.subscriberId);
      if (!person) continue;
      const row: SubscriberRow = {
        subscriberId: s.subscriberId,
        email: person.email,
        name: person.name,
        audience: s.audience,
        language: s.language,
        status: s.status,
        updatedAt: s.updatedAt,
        ...(s.consent ? { consent: s.consent } : {}),
      };
      if (matches(row, filter)) rows.push(row);
    }
    cursor = got.cursor;
  } while (cursor && rows.length < limit && read < MAX_READ_PER_PAGE);
  return { items: rows, ...(cursor ? { cursor } : {}) };
}

/** List or search a post's people; every read is audited (filters and count, never the search words). */
export async function listSubscribers(
  deps: StaffDeps,
  actor: Actor,
  post: string,
  filter: SubscriberFilter,
  page: PageRequest = {},
): Promise<Page<SubscriberRow>> {
  const result = await readRows(deps, post, filter, page);
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: actor.id,
    action: 'subscribers.listed',
    post,
    target: { type: 'subscribers', id: post },
    detail: {
      rows: result.items.length,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.audience ? { audience: filter.audience } : {}),
      ...(filter.language ? { language: filter.language } : {}),
      search: filter.text !== undefined && filter.text !== '',
    },
  });
  return result;
}

const CSV_COLUMNS = [
  'email',
  'name',
  'audience',
  'language',
  'status',
  'updatedAt',
  'consentAt',
  'consentSource',
  'confirmedAt',
] as const;

/** Rows read (and written out) at a time by an export: memory holds one page, whatever the list's size. */
const EXPORT_PAGE = 1000;

/**
 * The post's list as CSV (every status unless filtered), streamed: a page of rows is
 * read, written to `write` (which may wait, for a slow file or pipe) and let go before
 * the next. `maxBytes` stops an export that would outgrow what its reader can take (the
 * API's response) with a ValidationError naming the CLI, before anything is answered.
 * Audited as `subscribers.exported` once it is complete.
 */
export async function exportSubscribers(
  deps: StaffDeps,
  actor: Actor,
  post: string,
  filter: SubscriberFilter,
  write: (chunk: string) => void | Promise<void>,
  options: { readonly maxBytes?: number } = {},
): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  const out = async (chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    if (options.maxBytes !== undefined && bytes > options.maxBytes)
      throw new ValidationError(
        `export: ${post}'s list is over ${Math.floor(options.maxBytes / 1024 / 1024)} MiB as CSV, more than the API answers; export it with \`missive subscribers export --post ${post} --out FILE\``,
      );
    await write(chunk);
  };
  await out(stringify([[...CSV_COLUMNS]]));
  let cursor: string | undefined;
  do {
    const got = await readRows(deps, post, filter, { limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
    if (got.items.length > 0)
      await out(
        stringify(
          got.items.map((r) => ({
            email: r.email,
            name: r.name,
            audience: r.audience,
            language: r.language,
            status: r.status,
            updatedAt: r.updatedAt,
            consentAt: r.consent?.at ?? '',
            consentSource: r.consent?.source ?? '',
            confirmedAt: r.consent?.confirmedAt ?? '',
          })),
          // escape_formulas: a name typed as "=HYPERLINK(...)" stays text in a spreadsheet.
          { columns: [...CSV_COLUMNS], escape_formulas: true },
        ),
      );
    rows += got.items.length;
    cursor = got.cursor;
  } while (cursor);
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: actor.id,
    action: 'subscribers.exported',
    post,
    target: { type: 'subscribers', id: post },
    detail: { rows, ...(filter.status ? { status: filter.status } : {}) },
  });
  return { rows, bytes };
}

/**
 * Removes a person from one post: every subscription they have there becomes
 * unsubscribed (kept, with its consent, as the record of the stop). A person with no
 * subscription at this post is another post's: 404, as if they did not exist.
 */
export async function removeSubscriber(
  deps: StaffDeps,
  actor: Actor,
  post: string,
  subscriberId: string,
): Promise<{ subscriberId: string; unsubscribed: number }> {
  const here = (await deps.subscribers.subscriptionsOf(subscriberId)).filter((s) => s.post === post);
  if (here.length === 0) throw new NotFoundError(`no subscriber "${subscriberId}" at post ${post}`);
  const at = deps.clock.now().toISOString();
  const active = here.filter((s) => s.status !== 'unsubscribed');
  for (const s of active) {
    const { expiresAt: _pendingTtl, ...kept } = s;
    await deps.subscribers.putSubscription({ ...kept, status: 'unsubscribed', updatedAt: at });
  }
  await deps.audit.record({
    id: newId('au'),
    at,
    actor: actor.id,
    action: 'subscriber.removed',
    post,
    target: { type: 'subscriber', id: subscriberId },
    detail: { subscriptions: active.length },
  });
  return { subscriberId, unsubscribed: active.length };
}

/** The subscriber id of an address or id given by staff, if the person has a subscription at the post. */
export async function findAtPost(deps: StaffDeps, post: string, emailOrId: string): Promise<string> {
  const id = emailOrId.includes('@') ? (await deps.subscribers.findByEmail(emailOrId))?.id : emailOrId;
  const here = id ? (await deps.subscribers.subscriptionsOf(id)).some((s) => s.post === post) : false;
  if (!id || !here) throw new NotFoundError(`no subscriber "${emailOrId}" at post ${post}`);
  return id;
}
