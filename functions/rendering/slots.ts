/**
 * A template split once at its slots (the pattern's first group names a slot), then
 * filled many times: the mechanism behind per-recipient personalisation (%%KEY%%) and
 * the per-variant MIME template. Filling is one pass over the parts.
 *
 * Text people type (subjects, block text, image URLs, feed items) must never be read
 * as a slot: while it passes through Handlebars, MJML and html-to-text its '%' is
 * the private-use character TYPED_PERCENT (neutraliseTyped), so it cannot spell a
 * %%KEY%% placeholder; the template's constant parts get their '%' back once the
 * slots are found (restoreTyped), before any recipient is filled in.
 */
export function compileSlots(template: string, pattern: RegExp): (value: (slot: string) => string) => string {
  const parts: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const m of template.matchAll(pattern)) {
    parts.push(restoreTyped(template.slice(last, m.index)));
    slots.push(m[1] as string);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(restoreTyped(template.slice(last)));
  return (value) => {
    let out = parts[0] as string;
    for (let i = 0; i < slots.length; i++) out += value(slots[i] as string) + (parts[i + 1] as string);
    return out;
  };
}

/** Stands for '%' in typed text until the slots are found (U+E000, private use: no template has it). */
export const TYPED_PERCENT = '\uE000';

export const restoreTyped = (s: string) => (s.includes(TYPED_PERCENT) ? s.replaceAll(TYPED_PERCENT, '%') : s);

/** Every string in a value people typed, with '%' set apart (see above). */
export function neutraliseTyped<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('%', TYPED_PERCENT) as T;
  if (Array.isArray(value)) return value.map(neutraliseTyped) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, neutraliseTyped(v)])) as T;
  }
  return value;
}
