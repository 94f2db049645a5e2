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
  const scheduled =
    edition.status === 'scheduled'
      ? edition
      : await scheduleEdition(deps.editions, actor, edition, deps.editions.clock.now().toISOString());
  return startSending(deps.dispatch, actor, scheduled);
}
