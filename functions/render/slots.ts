/**
 * A template split once at its slots (the pattern's first group names a slot), then
 * filled many times: the mechanism behind per-recipient personalisation (%%KEY%%) and
 * the per-variant MIME template (@@KEY@@). Filling is one pass over the parts.
 */
export function compileSlots(template: string, pattern: RegExp): (value: (slot: string) => string) => string {
  const parts: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const m of template.matchAll(pattern)) {
    parts.push(template.slice(last, m.index));
    slots.push(m[1] as string);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(template.slice(last));
  return (value) => {
    let out = parts[0] as string;
    for (let i = 0; i < slots.length; i++) out += value(slots[i] as string) + (parts[i + 1] as string);
    return out;
  };
}
