import { ConflictError } from '../core/errors';
import type { Edition } from '../editions/model';
import type { Actor, EditionDeps } from '../editions/service';
import { scheduleEdition } from '../editions/service';
import { type DispatchDeps, startSending } from './dispatch';

/**
 * "Send now", for the HTTP route and the CLI alike: an approved edition is scheduled
 * at this minute and started at once, by the person who asked (the audit trail names
 * them, not the scheduler); a scheduled one is started early.
 */
export async function sendNow(
  deps: { editions: EditionDeps; dispatch: DispatchDeps },
  actor: Actor,
  edition: Edition,
): Promise<Edition> {
  // Said plainly: someone running `send` again after their terminal died needs the status, not a rule.
  const over: Partial<Record<Edition['status'], string>> = {
    sending: 'is already sending',
    sent: 'was sent already',
    cancelled: 'was cancelled',
  };
  const why = over[edition.status];
  if (why) {
    throw new ConflictError(
      `edition ${edition.id} ${why}: nothing to start (its progress: missive edition status ${edition.id})`,
    );
  }
  const scheduled =
    edition.status === 'scheduled'
      ? edition
      : await scheduleEdition(deps.editions, actor, edition, deps.editions.clock.now().toISOString());
  return startSending(deps.dispatch, actor, scheduled);
}
