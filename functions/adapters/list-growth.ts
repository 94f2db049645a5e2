import type { Counters } from '../core/counters';
import { postCounter, reportScopes, scopes } from '../engagement/model';
import type { ListChange, ListGrowth } from '../subscribers/ports';

/**
 * List growth on the counters the reports read: the post's month, and the network's
 * per-post month (`<change>_post_<code>`), so the network report reads one scope a month.
 */
export const counterListGrowth = (counters: Counters): ListGrowth => ({
  async count(post: string, change: ListChange, n: number, at: string): Promise<void> {
    if (n <= 0) return;
    const month = at.slice(0, 7);
    await counters.add(scopes.postMonth(post, month), { [change]: n });
    await counters.add(reportScopes.networkPosts(month), { [postCounter(change, post)]: n });
  },
});
