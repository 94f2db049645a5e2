import type { Post, Subscriber, Subscription } from '../../functions/core/model';

export const post = (code: string, overrides: Partial<Post> = {}): Post => ({
  code,
  name: `Embassy of Belgium in ${code}`,
  kind: 'embassy',
  country: 'JP',
  city: code,
  continent: 'asia',
  timezone: 'Asia/Tokyo',
  languages: ['en', 'fr'],
  defaultLanguage: 'en',
  branding: { primaryColor: '#1d3b6f', logoUrl: 'https://missive.example.org/logo.png' },
  sender: { name: 'Embassy', address: `${code}@newsletter.missive.example.org` },
  replyTo: `${code}@diplomatie.example`,
  postalAddress: '1 Example Street',
  requiresApproval: false,
  audiences: [
    { id: 'economic', kind: 'economic', name: 'Economic' },
    { id: 'consular', kind: 'consular', name: 'Consular' },
  ],
  ...overrides,
});

export const subscriber = (id: string, email: string, overrides: Partial<Subscriber> = {}): Subscriber => ({
  id,
  email,
  name: `Person ${id}`,
  language: 'en',
  consent: { at: '2026-01-02T03:04:05Z', source: 'web-form' },
  createdAt: '2026-01-02T03:04:05Z',
  ...overrides,
});

export const subscription = (
  subscriberId: string,
  postCode: string,
  audience: string,
  overrides: Partial<Subscription> = {},
): Subscription => ({
  subscriberId,
  post: postCode,
  audience,
  language: 'en',
  status: 'confirmed',
  updatedAt: '2026-01-02T03:04:05Z',
  ...overrides,
});
