import { describe, expect, it } from 'vitest';
import { ApiError, apiPath } from '../../app/src/api-path';

/** The app builds API paths from the address bar's ids: a crafted link must stay within its route. */
describe('apiPath', () => {
  it('puts each value in as one encoded segment', () => {
    expect(apiPath`/posts/${'tokyo'}/editions/${'ed_1'}`).toBe('/posts/tokyo/editions/ed_1');
    // A slash, a query or a fragment in an id from the hash are the id's own characters.
    expect(apiPath`/posts/${'tokyo'}/editions/${'../subscribers/export?status=confirmed#x'}`).toBe(
      '/posts/tokyo/editions/..%2Fsubscribers%2Fexport%3Fstatus%3Dconfirmed%23x',
    );
    expect(apiPath`/posts/${'tokyo'}/editions/${'e'}/preview?audience=${'a&lang=x'}&lang=${'fr'}`).toBe(
      '/posts/tokyo/editions/e/preview?audience=a%26lang%3Dx&lang=fr',
    );
  });

  it('refuses a missing value and the dot segments the URL parser would resolve', () => {
    for (const bad of ['', '.', '..', undefined, null]) {
      expect(() => apiPath`/posts/${'tokyo'}/editions/${bad}`).toThrow(ApiError);
    }
  });
});
