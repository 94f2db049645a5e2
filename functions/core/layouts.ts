/** An MJML layout registered by headquarters (Handlebars + MJML, like templates/layouts/). */
export interface Layout {
  readonly name: string;
  readonly source: string;
  readonly registeredBy: string;
  readonly at: string;
}

export interface LayoutRepository {
  get(name: string): Promise<Layout | undefined>;
  put(layout: Layout): Promise<void>;
  list(): Promise<Pick<Layout, 'name' | 'registeredBy' | 'at'>[]>;
}

/** The three footer links every newsletter must carry, by their per-recipient placeholder. */
export const FOOTER_LINKS = [
  { placeholder: '%%WEB_URL%%', name: 'web version link' },
  { placeholder: '%%PREFS_URL%%', name: 'preferences link' },
  { placeholder: '%%UNSUB_URL%%', name: 'unsubscribe link' },
] as const;

/** What a layout must contain: the blocks, and the footer links. */
export const REQUIRED_SLOTS = ['{{{blocks}}}', ...FOOTER_LINKS.map((l) => l.placeholder)] as const;
