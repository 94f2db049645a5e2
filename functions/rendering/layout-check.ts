import Handlebars from 'handlebars';
import { Parser } from 'htmlparser2';
import { FOOTER_LINKS } from './layouts';

/**
 * The checks an HQ layout passes before it is stored, on what the layout means rather
 * than on its text: the Handlebars syntax tree (so that comments and conditions are
 * understood) and the HTML a sample edition renders to.
 */

/** What is wrong with a layout, and on which line of its source. */
export interface LayoutProblem {
  readonly line?: number;
  readonly message: string;
}

/** The one slot that takes three braces: the blocks are MJML we render, never text people type. */
export const BLOCKS_SLOT = '{{{blocks}}}';

type Where =
  | { readonly kind: 'comment' }
  | { readonly kind: 'block'; readonly opener: string; readonly line: number };

interface Occurrence {
  readonly line: number;
  /** Undefined: the occurrence is in every email. */
  readonly where?: Where;
}

interface Walk {
  readonly source: string;
  readonly lineStarts: readonly number[];
  readonly found: Map<string, Occurrence[]>;
  readonly unescaped: { line: number; what: string }[];
}

const REQUIRED = [
  { text: BLOCKS_SLOT, label: `the blocks slot ${BLOCKS_SLOT}` },
  ...FOOTER_LINKS.map((l) => ({ text: l.placeholder, label: `the ${l.name} (${l.placeholder})` })),
] as const;

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

const offsetOf = (w: Walk, p: hbs.AST.Position) => (w.lineStarts[p.line - 1] ?? 0) + p.column;
function lineAt(w: Walk, offset: number): number {
  let line = 1;
  while ((w.lineStarts[line] ?? Number.POSITIVE_INFINITY) <= offset) line++;
  return line;
}

function record(w: Walk, text: string, occurrence: Occurrence) {
  const list = w.found.get(text) ?? [];
  list.push(occurrence);
  w.found.set(text, list);
}

/** Every required text in the source span of a content or comment node, with its line. */
function scan(w: Walk, node: hbs.AST.Node, where: Where | undefined) {
  const start = offsetOf(w, node.loc.start);
  const span = w.source.slice(start, offsetOf(w, node.loc.end));
  for (const { text } of REQUIRED) {
    for (let i = span.indexOf(text); i >= 0; i = span.indexOf(text, i + 1)) {
      record(w, text, { line: lineAt(w, start + i), ...(where ? { where } : {}) });
    }
  }
}

function walk(w: Walk, program: hbs.AST.Program | undefined, where: Where | undefined) {
  for (const node of program?.body ?? []) {
    switch (node.type) {
      case 'ContentStatement':
        scan(w, node, where);
        break;
      case 'CommentStatement':
        scan(w, node, { kind: 'comment' });
        break;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (m.escaped) break;
        const path = m.path.type === 'PathExpression' ? (m.path as hbs.AST.PathExpression).original : '';
        const line = m.loc.start.line;
        if (path === 'blocks' && m.params.length === 0 && !m.hash) {
          record(w, BLOCKS_SLOT, { line, ...(where ? { where } : {}) });
        } else {
          const start = offsetOf(w, m.loc.start);
          w.unescaped.push({ line, what: w.source.slice(start, offsetOf(w, m.loc.end)) });
        }
        break;
      }
      case 'BlockStatement':
      case 'DecoratorBlock':
      case 'PartialBlockStatement': {
        // Whatever is inside a block ({{#if}}, {{#each}}, {{#with}}, an inline partial)
        // depends on the data: it may not be in every email.
        const b = node as hbs.AST.BlockStatement;
        const start = offsetOf(w, b.loc.start);
        const close = w.source.indexOf('}}', start);
        const opener = w.source.slice(start, close < 0 ? start + 40 : close + 2).slice(0, 60);
        const inner: Where = { kind: 'block', opener, line: b.loc.start.line };
        walk(w, b.program, inner);
        walk(w, b.inverse, inner);
        break;
      }
    }
  }
}

export interface LayoutSource {
  readonly problems: readonly LayoutProblem[];
  /** The line of each required slot or link where it is in every email. */
  readonly lines: ReadonlyMap<string, number>;
}

/**
 * Reads a layout's Handlebars syntax tree: only {{{blocks}}} may take three braces
 * (anything else would put text people type into the email unescaped); the blocks
 * and the footer links must be in every email, not in a comment or inside a block.
 * A parse error is left to the compiler, which says it better.
 */
export function checkLayoutSource(source: string): LayoutSource {
  const w: Walk = { source, lineStarts: lineStarts(source), found: new Map(), unescaped: [] };
  walk(w, Handlebars.parse(source), undefined);
  const problems: LayoutProblem[] = w.unescaped.map(({ line, what }) => ({
    line,
    message: `${what} puts what people type into the email unescaped: use two braces (only ${BLOCKS_SLOT} takes three)`,
  }));
  const lines = new Map<string, number>();
  for (const { text, label } of REQUIRED) {
    const all = (w.found.get(text) ?? []).sort((a, b) => a.line - b.line);
    const everywhere = all.filter((o) => !o.where);
    const first = everywhere[0] ?? all[0];
    if (!first) {
      problems.push({ message: `the layout must contain ${text}` });
    } else if (first.where?.kind === 'comment') {
      problems.push({
        line: first.line,
        message: `${label} is inside a Handlebars comment: it never reaches the email`,
      });
    } else if (first.where?.kind === 'block') {
      problems.push({
        line: first.line,
        message: `${label} is inside ${first.where.opener} (line ${first.where.line}): every email must carry it, whatever its data`,
      });
    } else {
      lines.set(text, first.line);
      const second = everywhere[1];
      if (text === BLOCKS_SLOT && second) {
        problems.push({
          line: second.line,
          message: `a second ${BLOCKS_SLOT} (the first is on line ${first.line})`,
        });
      }
    }
  }
  return { problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), lines };
}

const HIDDEN = new Set(['head', 'style', 'script', 'title']);

/**
 * Reads the HTML a sample edition rendered to: each footer link is the href of an
 * <a> (not text, not in an HTML comment), and the text of every sample block shows.
 */
export function checkRenderedLayout(
  html: string,
  source: LayoutSource,
  blockTexts: readonly string[],
): LayoutProblem[] {
  const hrefs = new Set<string>();
  let text = '';
  let hidden = 0;
  const parser = new Parser({
    onopentag(name, attributes) {
      if (HIDDEN.has(name)) hidden++;
      if (!hidden && name === 'a' && attributes.href) hrefs.add(attributes.href.trim());
    },
    onclosetag(name) {
      if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
    },
    ontext(chunk) {
      if (!hidden) text += chunk;
    },
  });
  parser.end(html);
  const problems: LayoutProblem[] = [];
  const at = (slot: string) => {
    const line = source.lines.get(slot);
    return line === undefined ? {} : { line };
  };
  for (const link of FOOTER_LINKS) {
    if (!hrefs.has(link.placeholder)) {
      problems.push({
        ...at(link.placeholder),
        message: `the ${link.name} does not reach the email as a link: write <a href="${link.placeholder}">, outside HTML comments`,
      });
    }
  }
  const shown = text.replace(/\s+/g, ' ');
  if (!blockTexts.every((t) => shown.includes(t))) {
    problems.push({
      ...at(BLOCKS_SLOT),
      message: `the blocks do not reach the email: ${BLOCKS_SLOT} must be where MJML shows it, outside HTML comments`,
    });
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** "source: line 12: ..." */
export const describeProblem = (p: LayoutProblem) =>
  `source: ${p.line !== undefined ? `line ${p.line}: ` : ''}${p.message}`;
