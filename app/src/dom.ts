/** A small element builder: text goes in as text nodes, so whatever a person typed is never HTML. */
type Child = Node | string | number | false | null | undefined;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (
      k in el &&
      k !== 'list' &&
      typeof v !== 'boolean' &&
      !k.startsWith('aria') &&
      !k.startsWith('data')
    )
      (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === false || c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

let fieldIds = 0;
/** A labelled form field: the label names the control (screen readers, clicks). */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement) {
  if (!control.id) control.id = `f${++fieldIds}`;
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

export function announce(text: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}
