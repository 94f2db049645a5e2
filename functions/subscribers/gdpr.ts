import type { Actor } from '../core/access';
import type { AuditEntry } from '../core/audit';
import { NotFoundError } from '../core/errors';
import { newId } from '../core/ids';
import type { Subscriber, Subscription, Suppression } from '../core/model';
import type { StaffDeps } from './staff';
import { staffAddress } from './suppressions';

/** Everything held about one person (GDPR right of access), from every table that names them. */
export interface PersonalDataReport {
  readonly email: string;
  readonly profile: Subscriber | undefined;
  readonly subscriptions: readonly Subscription[];
  readonly suppression: Suppression | undefined;
  readonly sends: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
  readonly audit: readonly AuditEntry[];
}

/** Right of access: an admin reads everything held about the address (audited, network-wide). */
export async function personalData(
  deps: StaffDeps,
  actor: Actor,
  rawEmail: string,
): Promise<PersonalDataReport> {
  const email = staffAddress(rawEmail);
  const id = (await deps.subscribers.subscriberIdsByEmail([email])).get(email);
  const [profile, subscriptions, suppression, records] = await Promise.all([
    id ? deps.subscribers.get(id) : Promise.resolve(undefined),
    id ? deps.subscribers.subscriptionsOf(id) : Promise.resolve([]),
    deps.suppressions.get(email),
    deps.personalData.find(id, email),
  ]);
  const held = id || suppression || records.sends.length || records.events.length || records.audit.length;
  if (!held) throw new NotFoundError(`nothing is held about ${email}`);
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: actor.id,
    action: 'subscriber.accessed',
    target: { type: 'subscriber', id: id ?? deps.pseudonym(email) },
  });
  return { email, profile, subscriptions, suppression, ...records };
}

export interface ErasureReport {
  /** What the audit trail names the erased person by: a keyed hash of their id. */
  readonly pseudonym: string;
  readonly removed: { subscriber: number; sends: number; events: number; audit: number };
}

/**
 * Erasure: every personal datum of the address goes, in an order that can be run
 * again after a failure (each step is idempotent): first the address becomes a keyed
 * hash in the suppression list (so nothing mails or re-imports it meanwhile), then
 * send records, events and audit entries' personal fields, then the person's own
 * items, the email claim last. Counters (aggregates) are kept as they are.
 */
export async function erasePerson(deps: StaffDeps, actor: Actor, rawEmail: string): Promise<ErasureReport> {
  const email = staffAddress(rawEmail);
  // By the email claim, not the profile: an interrupted erasure may have deleted the profile already.
  const id = (await deps.subscribers.subscriberIdsByEmail([email])).get(email);
  if (!id) {
    // A mistyped address must not become a suppression for good: erase only what is held
    // (an address already erased is held as its hash, so a rerun still completes).
    const [suppression, records] = await Promise.all([
      deps.suppressions.get(email),
      deps.personalData.find(undefined, email),
    ]);
    if (!suppression && records.audit.length === 0) throw new NotFoundError(`nothing is held about ${email}`);
  }
  const at = deps.clock.now().toISOString();
  const pseudonym = `erased:${deps.pseudonym(id ?? email)}`;
  await deps.suppressions.putErased(email, at);
  const removed = await deps.personalData.erase(id, email, pseudonym);
  await deps.audit.record({
    id: newId('au'),
    at,
    actor: actor.id,
    action: 'subscriber.erased',
    target: { type: 'subscriber', id: pseudonym },
    detail: { ...removed },
  });
  return { pseudonym, removed };
}
