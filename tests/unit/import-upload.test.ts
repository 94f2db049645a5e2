import { describe, expect, it } from 'vitest';
import { uploadedBytes } from '../../functions/subscribers/import/upload';

describe('the bytes of an uploaded list', () => {
  it('takes base64 bodies as they are, and refuses a text body whose bytes were replaced on the way', () => {
    const latin1 = Buffer.from('Email;Nom\r\nzoe@example.org;Lefèvre\r\n', 'latin1');
    expect(uploadedBytes(latin1.toString('base64'), true)).toEqual(latin1);
    expect(uploadedBytes('Email\nzoë@example.org\n', false).toString('utf8')).toBe(
      'Email\nzoë@example.org\n',
    );
    // What a Latin-1 file becomes when decoded as UTF-8 text before it reaches the function.
    expect(() => uploadedBytes(latin1.toString('utf8'), false)).toThrow(
      /arrived as text but is not UTF-8 .*application\/octet-stream/,
    );
    expect(uploadedBytes(undefined, false)).toHaveLength(0);
  });
});
