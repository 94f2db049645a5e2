import { type LinkKey, signLink } from './signed-links';

/**
 * The public links of one recipient of one variant: a "read" token (web version,
 * clicks) and a "manage" token (unsubscribe, preferences); a token for one purpose
 * is refused for the other. Ids only, never an address.
 */
export function recipientLinks(
  baseUrl: string,
  keys: readonly LinkKey[],
  ids: {
    subscriberId: string;
    editionId: string;
    post: string;
    audience: string;
    language: string;
    /** A test send: the reader routes count nothing for it. */
    test?: boolean;
  },
) {
  const common = {
    s: ids.subscriberId,
    e: ids.editionId,
    o: ids.post,
    a: ids.audience,
    g: ids.language,
    ...(ids.test ? { z: 1 as const } : {}),
  };
  const read = encodeURIComponent(signLink({ p: 'read', ...common }, keys));
  const manage = encodeURIComponent(signLink({ p: 'manage', ...common }, keys));
  return {
    web: `${baseUrl}/web?token=${read}`,
    preferences: `${baseUrl}/preferences?token=${manage}`,
    unsubscribe: `${baseUrl}/unsubscribe?token=${manage}`,
    click: `${baseUrl}/r/${read}/`,
    open: `${baseUrl}/o/${read}.gif`,
  };
}
