import { addMonths } from '../core/months';
import { type EngagementEvent, postCounter, reportScopes, scopes } from './model';

/**
 * Unique people over the engagement rate's window (GovDelivery/Granicus: people who
 * opened or clicked in the last 90 days / people sent to in those 90 days), exact and
 * pre-aggregated. The window is three calendar months; the counters are written under
 * the window's last month: `people_sent`, `people_engaged` and `people_engaged_h` in
 * `postMonth(post, W)` count the people sent to (engaged) in months W-2..W.
 *
 * How: each person has one activity item holding, per scope (the post, the network,
 * the audience kind, the language) and per kind (sent, engaged, engaged by a person),
 * the set of months they were active in. Recording adds this batch's months to those
 * sets in one write per person, and DynamoDB answers the sets as they were: a month d
 * makes the person count in the windows ending d, d+1, d+2 that held none of their
 * months before. Adding to a set is order-free and idempotent, so late, redelivered or
 * concurrent events count each person once per window.
 */

/** sent / engaged (opened or clicked) / engaged by a person (machine opens and clicks aside). */
export type ActivityKind = 's' | 'e' | 'h';
/** The scope a set is about: post, network, audience kind, language. */
type ActivityScope = 'p' | 'n' | 'a' | 'l';

export const PEOPLE_COUNTERS = {
  s: 'people_sent',
  e: 'people_engaged',
  h: 'people_engaged_h',
} as const satisfies Record<ActivityKind, string>;

/** Attribute names of the activity item: `<kind>_<scope>[_<value>]` (`s_p_tokyo`, `e_n`). */
export const activityAttribute = (kind: ActivityKind, scope: ActivityScope, value = '') =>
  value ? `${kind}_${scope}_${value}` : `${kind}_${scope}`;

/** One person's months to add, per attribute. */
export type ActivityAdds = Map<string, Set<string>>;

/** The attributes an event makes active (the person's post, the network, its audience kind and language). */
export function activityAttributes(e: EngagementEvent, kind: ActivityKind, audienceKind?: string): string[] {
  const out = [activityAttribute(kind, 'n')];
  if (e.post) out.push(activityAttribute(kind, 'p', e.post));
  if (audienceKind) out.push(activityAttribute(kind, 'a', audienceKind));
  if (e.language) out.push(activityAttribute(kind, 'l', e.language));
  return out;
}

export function addActivity(adds: ActivityAdds, attributes: readonly string[], month: string): void {
  for (const a of attributes) {
    const months = adds.get(a);
    if (months) months.add(month);
    else adds.set(a, new Set([month]));
  }
}

/**
 * The windows (by their last month) a person newly counts in, once `added` joins the
 * months they were active in before (`before`).
 */
export function newWindows(before: ReadonlySet<string>, added: Iterable<string>): string[] {
  const known = new Set(before);
  const out: string[] = [];
  for (const d of [...added].sort()) {
    if (known.has(d)) continue;
    for (let k = 0; k < 3; k++) {
      const end = addMonths(d, k);
      const window = [addMonths(end, -2), addMonths(end, -1), end];
      if (!window.some((m) => known.has(m))) out.push(end);
    }
    known.add(d);
  }
  return out;
}

/** Adds one person per window to the counters of the attribute's scope. */
export function countWindows(
  attribute: string,
  windows: readonly string[],
  bump: (scope: string, name: string) => void,
): void {
  const [kind, scope, ...rest] = attribute.split('_') as [ActivityKind, ActivityScope, ...string[]];
  const name = PEOPLE_COUNTERS[kind];
  const value = rest.join('_');
  if (!name) return;
  for (const w of windows) {
    switch (scope) {
      case 'n':
        bump(scopes.networkMonth(w), name);
        break;
      case 'p':
        bump(scopes.postMonth(value, w), name);
        bump(reportScopes.networkPosts(w), postCounter(name, value));
        break;
      case 'a':
        bump(scopes.audienceMonth(value, w), name);
        break;
      case 'l':
        bump(scopes.languageMonth(value, w), name);
        break;
    }
  }
}
