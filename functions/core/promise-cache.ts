/**
 * One promise per key, shared by every caller that asks while it is pending or after
 * (a warm function reads each thing once); a rejected promise is forgotten so the next
 * caller tries again, and the map starts afresh once it holds `max` keys.
 */
export function cachedPromise<T>(
  cache: Map<string, Promise<T>>,
  key: string,
  make: () => Promise<T>,
  max = 2000,
): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  if (cache.size >= max) cache.clear();
  const made = make();
  cache.set(key, made);
  made.catch(() => cache.delete(key));
  return made;
}
