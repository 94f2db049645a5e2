import { type LinkKey, signLink } from './signed-links';

/**
 * The public links of one recipient of one variant, each with its own signed token
 * (a token for one purpose is refused for another). Ids only, never an address.
 */
export function recipientLinks(
  baseUrl: string,
  keys: readonly LinkKey[],
  ids: { subscriberId: string; editionId: string; post: string; audience: string; language: string },
) {
  const common = { s: ids.subscriberId, e: ids.editionId, o: ids.post, a: ids.audience, g: ids.language };
  const t = (p: 'web' | 'preferences' | 'unsubscribe' | 'click') =>
    encodeURIComponent(signLink({ p, ...common }, keys));
  return {
    web: `${baseUrl}/web?token=${t('web')}`,
    preferences: `${baseUrl}/preferences?token=${t('preferences')}`,
    unsubscribe: `${baseUrl}/unsubscribe?token=${t('unsubscribe')}`,
    click: `${baseUrl}/r/${t('click')}/`,
  };
}
