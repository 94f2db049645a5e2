import { randomUUID } from 'node:crypto';
import { decodeHTML } from 'entities';
import { convert } from 'html-to-text';
import type { ContentItem } from '../content/content';
import { MissiveError } from '../core/errors';
import { nameIn, type Post } from '../core/model';
import type { CentralBlock, Edition, RenderedVariant, Variant } from '../editions/model';
import { RENDER_FORMAT } from '../editions/render-format';
import { neutraliseTyped, restoreTyped } from './slots';
import type { Labels, TemplateSet } from './templates';

/** A variant that does not render: the message names the variant and the block or line. */
export class RenderError extends MissiveError {
  readonly code = 'render_failed';
  readonly httpStatus = 422;
}

export interface RenderInput {
  readonly post: Post;
  readonly edition: Pick<Edition, 'id' | 'title' | 'revision' | 'layout'>;
  readonly variant: Variant;
  /** The central items the blocks name, by id. */
  readonly items: ReadonlyMap<string, ContentItem>;
  readonly templates: TemplateSet;
  /** Layout by name when the edition names one not in templates/ (HQ's registered layouts). */
  readonly customLayout?: (data: object) => string;
  readonly now: Date;
}

const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/**
 * The day at the venue: an event's date as written with its own UTC offset
 * (2027-07-16T12:00:00+02:00 is 16 July wherever the reader is).
 */
const venueDay = (iso: string) => new Date(`${iso.slice(0, 10)}T12:00:00Z`);

function formatter(language: string, timeZone: string, withTime: boolean) {
  return new Intl.DateTimeFormat(`${language}-BE`, {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone,
  });
}

/** "21 juillet 2027" or "du 16 juillet 2027 au 25 juillet 2027", in the variant's language and post's time zone. */
function when(start: string, end: string | undefined, labels: Labels, fmt: Intl.DateTimeFormat): string {
  const s = fmt.format(venueDay(start));
  if (!end) return s;
  const e = fmt.format(venueDay(end));
  return s === e ? s : `${labels.from} ${s} ${labels.to} ${e}`;
}

function blockView(
  input: RenderInput,
  labels: Labels,
  index: number,
): { partial: string; data: Record<string, unknown> } {
  const { variant, items } = input;
  const block = variant.blocks[index];
  if (!block) throw new Error('no block');
  const where = `variant ${variant.audience}/${variant.language}: block ${index + 1} (${block.type})`;
  const item = (id: string) => {
    const found = items.get(id);
    if (!found) throw new RenderError(`${where}: content item ${id} does not exist`);
    if (found.language !== variant.language) {
      throw new RenderError(
        `${where}: content item ${id} is in ${found.language}, the variant in ${variant.language}`,
      );
    }
    return found;
  };
  const dayFormat = formatter(variant.language, 'UTC', false);
  /** The item with the post's own wording where the block gives one (escaped like any typed text). */
  const worded = (b: CentralBlock): ContentItem => ({
    ...item(b.item),
    ...(b.title ? { title: b.title } : {}),
    ...(b.summary ? { summary: b.summary } : {}),
  });
  switch (block.type) {
    case 'central': {
      const it = worded(block);
      const kindLabel =
        it.kind === 'event'
          ? labels.events
          : it.kind === 'famous-belgian'
            ? labels.famousBelgian
            : labels.article;
      return { partial: 'central', data: { item: it, kindLabel } };
    }
    case 'famous-belgian':
      return { partial: 'famous-belgian', data: { item: worded(block) } };
    case 'events': {
      const central = block.items.map(item).map((it) => ({
        title: it.title,
        link: it.link,
        start: it.event?.start ?? it.publishedAt,
        end: it.event?.end,
        place: it.event?.place,
      }));
      const events = [...central, ...block.local]
        .sort((a, b) => a.start.localeCompare(b.start))
        .map((e) => ({ ...e, when: when(e.start, e.end, labels, dayFormat) }));
      if (events.length === 0) throw new RenderError(`${where}: no event to show`);
      return { partial: 'events', data: { title: block.title ?? labels.events, events } };
    }
    case 'local':
      return {
        partial: 'local',
        data: { title: block.title, image: block.image, paragraphs: paragraphs(block.text) },
      };
    case 'consular':
      return { partial: 'consular', data: { title: block.title, paragraphs: paragraphs(block.text) } };
    case 'cta':
      return { partial: 'cta', data: { label: block.label, url: block.url } };
  }
}

/**
 * The variant's heading: its own title, else the edition's in the post's default
 * language (the one it is written in); none in another language rather than the
 * wrong one.
 */
export const headingOf = (
  post: Pick<Post, 'defaultLanguage'>,
  edition: Pick<Edition, 'title'>,
  variant: Pick<Variant, 'title' | 'language'>,
): string => variant.title ?? (variant.language === post.defaultLanguage ? edition.title : '');

/** HTML and text of one variant; Gmail clips messages over about 102 KB anyway. */
const MAX_RENDER_BYTES = 300 * 1024;

const LINK = /href="(https?:\/\/[^"]+)"/g;

/**
 * Renders one variant: blocks → MJML (Handlebars, escaped) → HTML (mjml, once per
 * variant) → plain text. Links become %%L<n>%% placeholders so that each recipient
 * gets tracked links by cheap substitution; %%GREETING%%, %%WEB_URL%%, %%PREFS_URL%%
 * and %%UNSUB_URL%% are filled per recipient too (render/personalise.ts).
 */
export async function renderVariant(input: RenderInput): Promise<RenderedVariant> {
  const { post, edition, variant, templates } = input;
  const labels = templates.labels.get(variant.language) ?? templates.labels.get('en');
  if (!labels) throw new RenderError(`no labels for ${variant.language}`);
  const audience = post.audiences.find((a) => a.id === variant.audience);
  const postName = nameIn(post, variant.language);
  const common = {
    brand: neutraliseTyped({ color: post.branding.primaryColor, logo: post.branding.logoUrl }),
    labels,
  };
  // Where the blocks go in the layout: a marker no typed text can guess (a subject saying
  // "@@BLOCKS@@" must stay a subject).
  const blocksSlot = `@@BLOCKS-${randomUUID()}@@`;

  // Each block is rendered on its own so that an MJML error can be traced to it by line.
  const blockMjml: string[] = [];
  for (let i = 0; i < variant.blocks.length; i++) {
    const { partial, data } = blockView(input, labels, i);
    const template = templates.blocks.get(partial);
    if (!template) throw new RenderError(`no template for block type ${partial}`);
    // What people typed goes in with its '%' set apart: it cannot spell a placeholder (render/slots.ts).
    blockMjml.push(template(neutraliseTyped(data), { data: { root: common } }).trim());
  }
  const layoutData = {
    ...common,
    ...neutraliseTyped({
      subject: variant.subject,
      preheader: variant.preheader,
      title: headingOf(post, edition, variant),
      intro: paragraphs(variant.intro),
      post: { name: postName, address: post.postalAddress },
      legal: (labels.legal ?? '')
        .replace('{audience}', audience ? nameIn(audience, variant.language) : variant.audience)
        .replace('{post}', postName),
    }),
    lang: variant.language,
    date: formatter(variant.language, post.timezone, false).format(input.now),
    blocks: blocksSlot,
  };
  const layout = input.customLayout ?? templates.layouts.get(edition.layout ?? 'default');
  if (!layout) throw new RenderError(`layout "${edition.layout}" does not exist`);
  const shell = layout(layoutData);
  const at = shell.indexOf(blocksSlot);
  if (at < 0) throw new RenderError('the layout has no {{{blocks}}} slot');
  const firstBlockLine = shell.slice(0, at).split('\n').length;
  const mjml = shell.replace(blocksSlot, () => blockMjml.join('\n'));

  // Loaded on the first render: a process that never renders (the CLI's other commands,
  // an import) does not pay for MJML (about 0.5 s and 47 MiB).
  const { default: mjml2html } = await import('mjml');
  const result = await mjml2html(mjml, { validationLevel: 'soft', keepComments: false });
  if (result.errors.length > 0) {
    const e = result.errors[0];
    let line = firstBlockLine;
    const blockIndex = blockMjml.findIndex((b) => {
      const lines = b.split('\n').length;
      if (e && e.line >= line && e.line < line + lines) return true;
      line += lines;
      return false;
    });
    const where =
      blockIndex >= 0
        ? `block ${blockIndex + 1} (${variant.blocks[blockIndex]?.type})`
        : `layout line ${e?.line}`;
    throw new RenderError(
      `variant ${variant.audience}/${variant.language}: ${where}: ${e?.message ?? 'invalid MJML'}`,
    );
  }

  const links: string[] = [];
  const index = new Map<string, number>();
  // Which central story each link leads to: story reports count their clicks.
  const storyOf = new Map<string, string>();
  for (const block of variant.blocks) {
    const ids =
      block.type === 'central' || block.type === 'famous-belgian'
        ? [block.item]
        : block.type === 'events'
          ? block.items
          : [];
    for (const id of ids) {
      const link = input.items.get(id)?.link;
      if (link && !storyOf.has(link)) storyOf.set(link, id);
    }
  }
  // MJML hides the preheader in white, 1px text; spam filters score those as hidden text
  // (SpamAssassin HTML_FONT_LOW_CONTRAST, FONT_INVIS_*). display:none, a zero height and
  // opacity hide it as well, without the tricks.
  const mjmlHtml = result.html.replace(
    /<div style="(display:none;[^"]*)">/,
    (_, style: string) =>
      `<div style="${style.replace('color:#ffffff;', '').replace('font-size:1px;', '')}">`,
  );
  const html = mjmlHtml.replace(LINK, (_, url: string) => {
    const target = restoreTyped(decodeHTML(url));
    let n = index.get(target);
    if (n === undefined) {
      n = links.length;
      links.push(target);
      index.set(target, n);
    }
    return `href="%%L${n}%%"`;
  });
  // The preheader is for inbox previews: MJML hides it in the body's first div, which
  // the text part must not repeat.
  const visible = html.replace(/<div style="display:none;[^"]*">[^<]*<\/div>/, '');
  const text = convert(visible, {
    wordwrap: 78,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'head', format: 'skip' },
    ],
  })
    // An image link has no text: its bare URL line says nothing to a reader.
    .replace(/^\s*\[?%%L\d+%%\]?\s*$\n?/gm, '');
  // A render is stored as one DynamoDB item (400 KB at most) and mailed to everyone: refuse
  // one that big with what to do, rather than fail at storage with a 500.
  const size = Buffer.byteLength(html, 'utf8') + Buffer.byteLength(text, 'utf8');
  if (size > MAX_RENDER_BYTES) {
    throw new RenderError(
      `variant ${variant.audience}/${variant.language}: renders to ${Math.ceil(size / 1024)} KB, over the ${MAX_RENDER_BYTES / 1024} KB a message may weigh: shorten its blocks or split it`,
    );
  }
  return {
    audience: variant.audience,
    language: variant.language,
    revision: edition.revision,
    format: RENDER_FORMAT,
    subject: variant.subject,
    html,
    text: text.replace(/^\s+/, ''),
    links,
    linkItems: links.map((l) => storyOf.get(l) ?? null),
  };
}
