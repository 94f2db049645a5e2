import { describe, expect, it } from 'vitest';
import { contentId, storyItemId, storyOf } from '../../functions/content/story';

describe('stories: one id for an article across its languages', () => {
  it('from a guid or a link that names the language as a whole segment', () => {
    expect(storyOf('focus-bruegel-fr', 'fr')).toBe('focus-bruegel-{lang}');
    expect(storyOf('https://focusonbelgium.example.org/nl/bruegel', 'nl')).toBe(
      'https://focusonbelgium.example.org/{lang}/bruegel',
    );
    expect(storyOf('https://site.example.org/news?id=12&lang=en', 'en')).toBe(
      'https://site.example.org/news?id=12&lang={lang}',
    );
    // The last occurrence: the language marker usually ends the id.
    expect(storyOf('fr-news-fr', 'fr')).toBe('fr-news-{lang}');
  });

  it('never from a host, part of a word, or an id that names no language', () => {
    expect(storyOf('https://www.belgien.de/artikel/123', 'de')).toBeUndefined();
    expect(storyOf('focus-french-cuisine', 'fr')).toBeUndefined();
    expect(storyOf('urn:uuid:1225c695-cfb8-4ebb', 'en')).toBeUndefined();
  });

  it("names, in each language, the id that language's item was stored under", () => {
    for (const lang of ['fr', 'nl', 'en'] as const) {
      expect(storyItemId('focus-bruegel-{lang}', lang)).toBe(contentId(lang, `focus-bruegel-${lang}`));
    }
  });
});
