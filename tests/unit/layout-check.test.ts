import { describe, expect, it } from 'vitest';
import { checkLayoutSource, checkRenderedLayout } from '../../functions/rendering/layout-check';

const footer = '<a href="%%WEB_URL%%">w</a> <a href="%%PREFS_URL%%">p</a> <a href="%%UNSUB_URL%%">u</a>';
const messages = (source: string) => checkLayoutSource(source).problems.map((p) => `${p.line}: ${p.message}`);

describe('layout source check (Handlebars syntax tree)', () => {
  it('accepts the blocks and links in every email, with conditions and comments elsewhere', () => {
    const source = `{{!-- header --}}\n{{#if preheader}}{{preheader}}{{/if}}\n{{{blocks}}}\n${footer}`;
    const checked = checkLayoutSource(source);
    expect(checked.problems).toEqual([]);
    expect(checked.lines.get('%%UNSUB_URL%%')).toBe(4);
  });

  it("a link in an {{else}} branch or an {{#each}} depends on the data: refused with the block's line", () => {
    expect(messages(`{{{blocks}}}\n{{#if x}}\n{{else}}\n${footer}\n{{/if}}`)[0]).toBe(
      '4: the web version link (%%WEB_URL%%) is inside {{#if x}} (line 2): every email must carry it, whatever its data',
    );
    expect(messages(`{{{blocks}}}\n{{#each intro}}${footer}{{/each}}`)[0]).toMatch(
      /^2: the web version link \(%%WEB_URL%%\) is inside \{\{#each intro\}\} \(line 2\)/,
    );
  });

  it('only {{{blocks}}} takes three braces, however the raw output is written', () => {
    expect(messages(`{{{blocks}}}\n<mj-title>{{{lookup . "subject"}}}</mj-title>\n${footer}`)).toEqual([
      '2: {{{lookup . "subject"}}} puts what people type into the email unescaped: use two braces (only {{{blocks}}} takes three)',
    ]);
  });
});

describe('rendered layout check (HTML)', () => {
  const checked = checkLayoutSource(`{{{blocks}}}\n${footer}`);
  it('finds links only as hrefs outside HTML comments, and the blocks only in visible text', () => {
    const html = `<html><head><title>Sample event</title></head><body><!-- <a href="%%UNSUB_URL%%">u</a> -->
      <a href="%%WEB_URL%%">w</a><a href="%%PREFS_URL%%">p</a><p>Sample local</p></body></html>`;
    expect(
      checkRenderedLayout(html, checked, ['Sample local', 'Sample event']).map(
        (p) => `${p.line}: ${p.message}`,
      ),
    ).toEqual([
      '1: the blocks do not reach the email: {{{blocks}}} must be where MJML shows it, outside HTML comments',
      '2: the unsubscribe link does not reach the email as a link: write <a href="%%UNSUB_URL%%">, outside HTML comments',
    ]);
  });
});
