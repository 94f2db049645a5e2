/** The three footer links every newsletter must carry, by their per-recipient placeholder. */
export const FOOTER_LINKS = [
  { placeholder: '%%WEB_URL%%', name: 'web version link' },
  { placeholder: '%%PREFS_URL%%', name: 'preferences link' },
  { placeholder: '%%UNSUB_URL%%', name: 'unsubscribe link' },
] as const;

/** What a layout must contain: the blocks, and the footer links. */
export const REQUIRED_SLOTS = ['{{{blocks}}}', ...FOOTER_LINKS.map((l) => l.placeholder)] as const;
