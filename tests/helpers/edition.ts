import type { EditionInput } from '../../functions/editions/model';

/** A small valid edition for Tokyo (audiences economic/cultural/consular, languages en/fr/nl). */
export const tokyoEdition = (contentIdEn: string, over: Partial<EditionInput> = {}): EditionInput => ({
  title: 'Tokyo news',
  sensitive: false,
  variants: [
    {
      audience: 'economic',
      language: 'en',
      subject: 'Business news from Belgium',
      preheader: 'Trade, ports and investment',
      intro: 'Welcome to our newsletter.',
      blocks: [
        { type: 'central', item: contentIdEn },
        { type: 'local', title: 'Trade mission', text: 'A mission visits Osaka.\n\nRegister now.' },
        { type: 'cta', label: 'Register', url: 'https://tokyo.diplomatie.example.org/mission?x=1&y=2' },
      ],
    },
  ],
  ...over,
});
