import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../functions/config/settings';
import { ConfigError } from '../../functions/core/errors';

const SECRET = 'k1:0123456789abcdef0123456789abcdef';

describe('loadSettings', () => {
  it('points everything at the embedded stack by default', () => {
    const s = loadSettings({});
    expect(s.mode).toBe('local');
    expect(s.dynamodbEndpoint).toBe('http://127.0.0.1:8000');
    expect(s.sesEndpoint).toBe('http://127.0.0.1:8005');
    expect(s.tables.subscribers).toBe('missive-local-subscribers');
    expect(s.publicBaseUrl).toBe('http://localhost:3000');
    // The staff web app, for the digest's links: the local stack serves it under /app/.
    expect(s.appUrl).toBe('http://localhost:3000/app/');
  });

  it('names the setting and the value when an endpoint is not a URL', () => {
    expect(() => loadSettings({ MISSIVE_DYNAMODB_ENDPOINT: 'localhost:8000' })).toThrow(
      /^bad setting MISSIVE_DYNAMODB_ENDPOINT: must be an http\(s\) URL.*\(got "localhost:8000"\)$/,
    );
  });

  it('requires on AWS what has no safe default there, naming it', () => {
    const aws = { MISSIVE_MODE: 'aws', MISSIVE_STAGE: 'prod' };
    expect(() => loadSettings(aws)).toThrow(/missing setting MISSIVE_SENDER/);
    expect(() => loadSettings({ ...aws, MISSIVE_SENDER: 'news@example.org' })).toThrow(
      /missing setting MISSIVE_PUBLIC_BASE_URL/,
    );
    const complete = {
      ...aws,
      MISSIVE_SENDER: 'news@example.org',
      MISSIVE_PUBLIC_BASE_URL: 'https://news.example.org/',
      MISSIVE_SIGNING_KEYS: SECRET,
    };
    expect(() => loadSettings(complete)).toThrow(/missing setting MISSIVE_COGNITO_USER_POOL_ID/);
    expect(() => loadSettings({ ...complete, MISSIVE_COGNITO_USER_POOL_ID: 'pool' })).toThrow(
      /bad setting MISSIVE_COGNITO_USER_POOL_ID: must be a user pool id/,
    );
    const s = loadSettings({
      ...complete,
      MISSIVE_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
      MISSIVE_COGNITO_CLIENT_IDS: 'client1,client2',
    });
    expect(s.staffAuth).toEqual({
      kind: 'cognito',
      userPoolId: 'eu-west-1_AbC123',
      clientIds: ['client1', 'client2'],
    });
    expect(s.dynamodbEndpoint).toBeUndefined();
    expect(s.publicBaseUrl).toBe('https://news.example.org');
    // No app address on AWS unless the stack gives it: the digest then has no app links.
    expect(s.appUrl).toBeUndefined();
    expect(
      loadSettings({
        ...complete,
        MISSIVE_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
        MISSIVE_COGNITO_CLIENT_IDS: 'client1',
        MISSIVE_APP_URL: 'https://d1.cloudfront.net/app/',
      }).appUrl,
    ).toBe('https://d1.cloudfront.net/app/');
    expect(s.tables.sends).toBe('missive-prod-sends');
  });

  it('rejects a short signing secret without echoing it', () => {
    let error: unknown;
    try {
      loadSettings({ MISSIVE_SIGNING_KEYS: 'k1:tooshort' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/MISSIVE_SIGNING_KEYS.*at least 32 characters \(value hidden\)/);
    expect((error as Error).message).not.toContain('tooshort');
  });

  it('keeps rotated keys in order, current first', () => {
    const s = loadSettings({ MISSIVE_SIGNING_KEYS: `${SECRET},k0:ffffffffffffffffffffffffffffffff` });
    expect(s.signingKeys.map((k) => k.id)).toEqual(['k1', 'k0']);
  });

  it('rejects an unknown mode and a bad stage name', () => {
    expect(() => loadSettings({ MISSIVE_MODE: 'cloud' })).toThrow(/bad setting MISSIVE_MODE/);
    expect(() => loadSettings({ MISSIVE_STAGE: 'Prod!' })).toThrow(/bad setting MISSIVE_STAGE/);
  });
});
