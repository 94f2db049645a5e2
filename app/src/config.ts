/**
 * Where the app runs, read once from `config.json` beside index.html: the local
 * stack answers `{"mode":"local"}` (functions/local/web-app.ts: demo people sign in),
 * CDK deploys the Cognito settings of the stack (infra/constructs/web-app.ts).
 * The server side imports these types only.
 */
export interface LocalConfig {
  readonly mode: 'local';
}

export interface CognitoConfig {
  readonly mode: 'cognito';
  /** The hosted UI's base address, https://<prefix>.auth.<region>.amazoncognito.com (no trailing slash). */
  readonly authority: string;
  /** The web app's user pool client (public: no secret). */
  readonly clientId: string;
  /** Where the hosted UI sends people back, exactly as the client lists it: https://<app>/app/. */
  readonly redirectUri: string;
  /** Space-separated OAuth scopes asked for. */
  readonly scopes: string;
}

export type AppConfig = LocalConfig | CognitoConfig;

let loaded: Promise<AppConfig> | undefined;

/** The deployment's config.json (fetched once a page load; a failed fetch is tried again next time). */
export function appConfig(): Promise<AppConfig> {
  loaded ??= fetch('/app/config.json')
    .then(async (res) => {
      if (!res.ok) throw new Error(`config.json: ${res.status} ${res.statusText}`);
      const value = (await res.json()) as Partial<AppConfig>;
      if (value.mode !== 'local' && value.mode !== 'cognito')
        throw new Error('config.json: mode must be "local" or "cognito"');
      return value as AppConfig;
    })
    .catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
  return loaded;
}
