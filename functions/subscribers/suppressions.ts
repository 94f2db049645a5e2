import type { Actor } from '../core/access';
import { typedLine } from '../core/control-chars';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors';
import { newId } from '../core/ids';
import { normaliseEmail, type Suppression, type SuppressionReason } from '../core/model';
import type { Page, PageRequest } from '../core/ports';
import { checkAddress } from './address';
import type { StaffDeps } from './staff';

/** The address as the stores key it (checked, then lower-cased), or a 400 naming the field and what is wrong. */
export function staffAddress(raw: string, where = 'email'): string {
  const checked = checkAddress(raw);
  if (!checked.ok) throw new ValidationError(`${where}: ${checked.reason}`);
  return normaliseEmail(checked.email);
}

/** The reason a person gives for adding or removing a suppression: one line, required. */
function staffReason(raw: string | undefined): string {
  const typed = (raw ?? '').trim();
  if (typed.length > 300 || /[\r\n]/.test(typed))
    throw new ValidationError('reason: one line, up to 300 characters');
  // Printed by `suppressions list` in a terminal: an ESC sequence would run there.
  const reason = typedLine(typed).trim();
  if (!reason) throw new ValidationError('reason: say why (one line, up to 300 characters)');
  return reason;
}

export const listSuppressions = (
  deps: Pick<StaffDeps, 'suppressions'>,
  reason?: SuppressionReason,
  page?: PageRequest,
): Promise<Page<Suppression>> => deps.suppressions.list(reason, page);

/** A manual suppression: the address is never mailed again by any post; audited with the reason. */
export async function addSuppression(
  deps: StaffDeps,
  actor: Actor,
  rawEmail: string,
  rawReason: string | undefined,
): Promise<Suppression> {
  const email = staffAddress(rawEmail);
  const reason = staffReason(rawReason);
  const existing = await deps.suppressions.get(email);
  if (existing)
    throw new ConflictError(`${email} is already suppressed (${existing.reason}, ${existing.at})`);
  const at = deps.clock.now().toISOString();
  const suppression: Suppression = { email, reason: 'manual', at, detail: reason };
  await deps.suppressions.put(suppression);
  await deps.audit.record({
    id: newId('au'),
    at,
    actor: actor.id,
    action: 'suppression.added',
    target: { type: 'suppression', id: deps.pseudonym(email) },
    detail: { email, reason },
  });
  return suppression;
}

/**
 * Lifts a suppression (bounce, complaint, manual, or an erasure's hash when the person
 * comes back): audited with who, why and the reason it had.
 */
export async function removeSuppression(
  deps: StaffDeps,
  actor: Actor,
  rawEmail: string,
  rawReason: string | undefined,
): Promise<{ email: string; was: SuppressionReason }> {
  const email = staffAddress(rawEmail);
  const reason = staffReason(rawReason);
  const existing = await deps.suppressions.get(email);
  if (!existing || !(await deps.suppressions.remove(email)))
    throw new NotFoundError(`${email} is not suppressed`);
  await deps.audit.record({
    id: newId('au'),
    at: deps.clock.now().toISOString(),
    actor: actor.id,
    action: 'suppression.removed',
    target: { type: 'suppression', id: deps.pseudonym(email) },
    detail: { email, reason, was: existing.reason },
  });
  return { email, was: existing.reason };
}
