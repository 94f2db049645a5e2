/* The API's errors and paths: no browser globals here, so Node's tests import them. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An API path with each value as one encoded segment: ids and codes come from the address
 * bar (`#/edition/<id>?post=<code>`), and a crafted link must not turn one into `../` or a
 * `?` that reaches another route with the person's token.
 */
export function apiPath(strings: TemplateStringsArray, ...values: (string | undefined | null)[]): string {
  return strings.reduce((out, text, i) => {
    if (i === 0) return text;
    const v = values[i - 1] ?? '';
    // '.' and '..' stay dot segments even encoded (%2E): the URL parser resolves them.
    if (v === '' || v === '.' || v === '..') throw new ApiError(404, 'No such page: the link is incomplete');
    return out + encodeURIComponent(v) + text;
  }, '');
}
