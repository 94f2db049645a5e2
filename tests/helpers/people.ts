import type { Language, Subscriber, Subscription } from '../../functions/core/model';

/** N generated people, all confirmed members of one post audience (sends at scale). */
export function members(
  n: number,
  target: { post: string; audience: string; language: Language; prefix: string },
): { subscriber: Subscriber; subscriptions: Subscription[] }[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `sub_${target.prefix}${String(i).padStart(6, '0')}`;
    const at = '2026-01-01T00:00:00Z';
    return {
      subscriber: {
        id,
        email: `${target.prefix}${i}@example.org`,
        name: `Reader ${i}`,
        language: target.language,
        consent: { at, source: 'test' },
        createdAt: at,
      },
      subscriptions: [
        {
          subscriberId: id,
          post: target.post,
          audience: target.audience,
          language: target.language,
          status: 'confirmed',
          updatedAt: at,
        },
      ],
    };
  });
}
