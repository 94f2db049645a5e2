/**
 * Strict base64url (RFC 4648 §5, no padding). Node's decoder is lenient: it ignores
 * `=`, stray characters and the unused low bits of the last character, so several
 * strings decode to the same bytes. Where a string is an identity (a signature, a
 * cursor), only the one canonical spelling is accepted: the bytes must encode back to
 * exactly the string given.
 */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
