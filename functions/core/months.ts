/** Calendar months as `YYYY-MM` strings (UTC), the unit of every monthly counter. */

/** Shifts a month by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
}
