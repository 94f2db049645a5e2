import type { RenderedVariant } from '../editions/model';
import { compileSlots, neutraliseTyped } from './slots';
import type { Labels } from './templates';

/**
 * Per-recipient personalisation: the compiled HTML (or text) is split once, per
 * variant, at its %%KEY%% placeholders; each recipient costs one array join.
 */

export interface RecipientLinks {
  readonly web: string;
  readonly preferences: string;
  readonly unsubscribe: string;
  /** Click URL prefix: the link index is appended. */
  readonly click: string;
  /** The open pixel's URL (a blank image where nothing is tracked: previews, the web version). */
  readonly open?: string;
}

export interface Recipient {
  readonly name: string | undefined;
  readonly links: RecipientLinks;
}

const PLACEHOLDER = /%%([A-Z_]+|L\d+)%%/g;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** A transparent 1x1 GIF inline: where nothing is tracked, the pixel fetches nothing. */
export const BLANK_GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

export type Personaliser = (recipient: Recipient) => string;

/** Compiles a variant's HTML or text into a function of the recipient. */
export function compilePersonaliser(template: string, labels: Labels, mode: 'html' | 'text'): Personaliser {
  const fill = compileSlots(template, PLACEHOLDER);
  const esc = mode === 'html' ? escapeHtml : (s: string) => s;
  const named = esc(labels.greeting ?? '{name}');
  const anonymous = esc(labels.greetingAnonymous ?? '');

  return (r) =>
    fill((key) => {
      if (key === 'GREETING') return r.name ? named.replace('{name}', esc(r.name)) : anonymous;
      if (key === 'WEB_URL') return r.links.web;
      if (key === 'PREFS_URL') return r.links.preferences;
      if (key === 'UNSUB_URL') return r.links.unsubscribe;
      if (key === 'OPEN_URL') return r.links.open ?? BLANK_GIF;
      if (key.charCodeAt(0) === 76 /* L */) return r.links.click + key.slice(1);
      return '';
    });
}

/** A variant's compiled personalisers: built once per variant, used for every recipient. */
export interface CompiledVariant<R extends { html: string; text: string } = RenderedVariant> {
  readonly render: R;
  readonly html: Personaliser;
  readonly text: Personaliser;
}

/** Both personalisers of a rendered variant (done once per variant, never per recipient). */
export function compileVariant<R extends { html: string; text: string }>(
  render: R,
  labels: Labels,
): CompiledVariant<R> {
  return {
    render,
    html: compilePersonaliser(render.html, labels, 'html'),
    text: compilePersonaliser(render.text, labels, 'text'),
  };
}

const SAMPLE_LINKS = {
  web: '#web-version',
  preferences: '#preferences',
  unsubscribe: '#unsubscribe',
  click: '#',
};

/** The text part as a sample reader gets it (links shown as their targets). */
export function previewText(
  render: { text: string; links: readonly string[] },
  labels: Labels,
  name = 'Alex',
) {
  const direct = render.text.replace(/%%L(\d+)%%/g, (_, n: string) =>
    neutraliseTyped(render.links[Number(n)] ?? '#'),
  );
  return compilePersonaliser(direct, labels, 'text')({ name, links: SAMPLE_LINKS });
}

/** A preview: a sample reader, links straight to their targets, footer links inert. */
export function previewHtml(
  render: { html: string; links: readonly string[] },
  labels: Labels,
  name = 'Alex',
): string {
  // A link's target is typed text: set its '%' apart before the slots are found.
  const direct = render.html.replace(/%%L(\d+)%%/g, (_, n: string) =>
    neutraliseTyped(escapeHtml(render.links[Number(n)] ?? '#')),
  );
  return compilePersonaliser(direct, labels, 'html')({ name, links: SAMPLE_LINKS });
}
