/**
 * Control characters (Unicode Cc: C0, DEL and C1). Feed text is shown in terminals
 * (`content list`, sync reports) and mail clients: an ESC from a feed would run there.
 */
const CONTROLS = /\p{Cc}/gu;
const CONTROLS_BUT_TAB_AND_LF = /(?![\t\n])\p{Cc}/gu;

/** One-line text: line breaks and tabs become spaces, other controls go. */
export const stripControlChars = (text: string): string =>
  text.replace(/[\t\n\r]/g, ' ').replace(CONTROLS, '');

/** Multi-line text (an HTML body): keeps \n and \t, CRLF and CR become \n, other controls go. */
export const stripControlCharsMultiline = (text: string): string =>
  text.replace(/\r\n?/g, '\n').replace(CONTROLS_BUT_TAB_AND_LF, '');

/** Bidi embeddings, overrides and isolates: they reorder what a reader sees (U+202E). */
export const stripBidiControls = (text: string): string => text.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');

/**
 * One line a person typed (a title, a name, a reason), as mail clients, pages and terminals
 * show it: no control characters (an ESC sequence would run in a terminal), no line breaks,
 * no bidi overrides (they reorder a list's line).
 */
export const typedLine = (text: string): string => stripBidiControls(stripControlChars(text));

/** Paragraphs a person typed: as typedLine, line breaks and tabs kept. */
export const typedText = (text: string): string => stripBidiControls(stripControlCharsMultiline(text));
