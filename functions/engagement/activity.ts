import { addMonths } from '../core/months';
import { type EngagementEvent, postCounter, reportScopes, scopes } from './model';

/**
 * Unique people over the engagement rate's window (GovDelivery/Granicus: people who
 * opened or clicked in the last 90 days / people sent to in those 90 days), exact and
 * pre-aggregated. The window is three calendar months, W-2..W.
 *
 * How: each person has one activity item holding, per scope (the post, the network,
 * the audience kind, the language) and per kind (sent, engaged, engaged by a person),
 * the set of months they were active in. Recording adds this batch's months to those
 * sets in one write per person, and DynamoDB answers the sets as they were: a month d
 * makes the person count in the windows ending d, d+1, d+2 that held none of their
 * months before. Adding to a set is order-free and idempotent, so late, redelivered or
 * concurrent events count each person once per window.
 *
 * Where: in month d's own scope (which the batch writes anyway), as `people_sent_<k>`
 * for the window ending k months later (k = 0, 1, 2); the window ending W sums
 * `_0` of W, `_1` of W-1 and `_2` of W-2 (`peopleInWindow`).
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

export function markActive(adds: ActivityAdds, attributes: readonly string[], month: string): void {
  for (const a of attributes) {
    const months = adds.get(a);
    if (months) months.add(month);
    else adds.set(a, new Set([month]));
  }
}

/** A window a person newly counts in: the month that made it, and how many months later the window ends. */
export type NewWindow = readonly [month: string, offset: 0 | 1 | 2];

/**
 * The windows a person newly counts in, once `added` joins the months they were
 * active in before (`before`).
 */
export function newWindows(before: ReadonlySet<string>, added: Iterable<string>): NewWindow[] {
  const known = new Set(before);
  const out: NewWindow[] = [];
  for (const d of [...added].sort()) {
    if (known.has(d)) continue;
    for (const k of [0, 1, 2] as const) {
      const end = addMonths(d, k);
      const window = [addMonths(end, -2), addMonths(end, -1), end];
      if (!window.some((m) => known.has(m))) out.push([d, k]);
    }
    known.add(d);
  }
  return out;
}

/** The counter of people who count in the window ending `offset` months after the scope's month. */
export const peopleCounter = (name: string, offset: number) => `${name}_${offset}`;

/** Each of a month's three windows, for a person of an aggregate-only audience (counted per message). */
export const everyWindow = (month: string): NewWindow[] => [
  [month, 0],
  [month, 1],
  [month, 2],
];

/**
 * The people of the window ending with the last of `window` (three months' counts of
 * one scope, oldest first): `people_sent`, `people_engaged`, `people_engaged_h`.
 */
export function peopleInWindow(window: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.values(PEOPLE_COUNTERS)) {
    let sum = 0;
    for (const [i, counts] of window.slice(-3).entries()) {
      const offset = Math.min(window.length, 3) - 1 - i;
      sum += counts[peopleCounter(name, offset)] ?? 0;
    }
    out[name] = sum;
  }
  return out;
}

/** Adds one person per window to the counters of the attribute's scope, in the month that made it. */
export function countWindows(
  attribute: string,
  windows: readonly NewWindow[],
  bump: (scope: string, name: string) => void,
): void {
  const [kind, scope, ...rest] = attribute.split('_') as [ActivityKind, ActivityScope, ...string[]];
  const base = PEOPLE_COUNTERS[kind];
  const value = rest.join('_');
  if (!base) return;
  for (const [w, offset] of windows) {
    const name = peopleCounter(base, offset);
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
