import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors';
import { parseEditionInput, reworded } from '../../functions/editions/model';
import { wordDifference } from '../../functions/editions/wording';

const edition = (block: Record<string, unknown>) => ({
  title: 'Tokyo news',
  variants: [
    {
      audience: 'economic',
      language: 'en',
      subject: 'News',
      blocks: [block, { type: 'local', title: 'Ours', text: 'Text' }],
    },
  ],
});
const ITEM = 'en-aaaaaaaaaaaa';

const refusal = (raw: unknown) => {
  try {
    parseEditionInput(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe("a post's own wording of a central item", () => {
  it('is kept on central and famous-Belgian blocks, cleaned like any typed text', () => {
    const parsed = parseEditionInput(
      edition({ type: 'central', item: ITEM, title: '  Our \u202Etitle\u001b[31m ', summary: 'Our words' }),
    );
    expect(parsed.variants[0]?.blocks[0]).toEqual({
      type: 'central',
      item: ITEM,
      title: 'Our title[31m',
      summary: 'Our words',
    });
    const famous = parseEditionInput(edition({ type: 'famous-belgian', item: ITEM, summary: 'Hers' }));
    expect(famous.variants[0]?.blocks[0]).toEqual({ type: 'famous-belgian', item: ITEM, summary: 'Hers' });
    expect(reworded(famous)).toEqual([ITEM]);
  });

  it('leaves an edition without it as it was', () => {
    const parsed = parseEditionInput(edition({ type: 'central', item: ITEM }));
    expect(parsed.variants[0]?.blocks[0]).toEqual({ type: 'central', item: ITEM });
    expect(reworded(parsed)).toEqual([]);
  });

  it("is held to the item's own lengths, and refused with the field's path", () => {
    expect(refusal(edition({ type: 'central', item: ITEM, title: 'x'.repeat(301) }))).toMatch(
      /^edition: variants\.0\.blocks\.0\.title: /,
    );
    expect(refusal(edition({ type: 'central', item: ITEM, summary: 'x'.repeat(501) }))).toMatch(
      /^edition: variants\.0\.blocks\.0\.summary: /,
    );
    expect(refusal(edition({ type: 'central', item: ITEM, title: '   ' }))).toMatch(
      /variants\.0\.blocks\.0\.title/,
    );
    // Strict as ever: a misspelt key is refused.
    expect(refusal(edition({ type: 'central', item: ITEM, titel: 'x' }))).toMatch(/titel/);
  });
});

describe("the difference from HQ's text", () => {
  it('is word by word: what the post added and what it removed, the rest unchanged', () => {
    const d = wordDifference(
      'Belgian chocolate wins a prize in Tokyo',
      'Belgian chocolate wins the top prize in Tokyo',
    );
    expect(d.changes.filter((c) => c.removed).map((c) => c.text.trim())).toEqual(['a']);
    expect(d.changes.filter((c) => c.added).map((c) => c.text.trim())).toEqual(['the top']);
    // Read back, the unchanged and added runs are the post's words; unchanged and removed, HQ's.
    expect(
      d.changes
        .filter((c) => !c.removed)
        .map((c) => c.text)
        .join(''),
    ).toBe(d.post);
    expect(
      d.changes
        .filter((c) => !c.added)
        .map((c) => c.text)
        .join(''),
    ).toBe(d.hq);
  });
});
