import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { Role } from '../../functions/core/roles';

/** Network-wide roles are groups; post roles are groups like post-editor:tokyo, made by admins. */
const NETWORK_GROUPS = ['admin', 'hq-editor', 'spokesperson', 'analyst'] as const satisfies readonly Role[];

export interface StaffIdentityProps {
  readonly stage: string;
  /**
   * Keep the user pool when the stack goes and refuse its deletion (production).
   * Default: false (removed with the stack).
   */
  readonly production?: boolean;
  /** How long a staff access token lasts. Default: 1 hour. */
  readonly accessTokenValidity?: Duration;
  /**
   * The web app's address (https://.../app/): the hosted UI sends people back there
   * after sign-in and sign-out. A lazy value when the distribution is built later.
   */
  readonly appUrl: string;
}

/**
 * Staff identities: a Cognito user pool (MFA required, no self sign-up, long
 * passwords), one group per network role, the hosted UI on a Cognito domain and the
 * web app's client: a public client (no secret: its code runs in a browser) allowed
 * the authorization code grant only (no implicit grant: no token in a URL), which the
 * app always uses with PKCE S256 (app/src/auth.ts).
 * Built in the scope it is given, under the construct ids of the stack before it
 * was split: a new logical id would replace the pool and lose every account.
 */
export class StaffIdentity {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The hosted UI's Cognito domain (https://<prefix>.auth.<region>.amazoncognito.com). */
  readonly domain: UserPoolDomain;
  /** The JWT issuer of this pool's tokens. */
  readonly issuer: string;

  constructor(scope: Construct, props: StaffIdentityProps) {
    const production = props.production ?? false;
    this.userPool = new UserPool(scope, 'Staff', {
      userPoolName: `missive-${props.stage}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: production,
      removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const role of NETWORK_GROUPS) {
      new UserPoolGroup(scope, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `missive role ${role}`,
      });
    }
    // The prefix is unique per region across all accounts: the account id makes it ours.
    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: `missive-${props.stage}-${Stack.of(scope).account}` },
    });
    // Same construct id as before the hosted UI: the client keeps its id and logical id
    // (these are in-place updates of the same client).
    this.client = this.userPool.addClient('Web', {
      authFlows: { userSrp: true },
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [props.appUrl],
        logoutUrls: [props.appUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: props.accessTokenValidity ?? Duration.hours(1),
      // The app renews the hour-long access token with it (app/src/auth.ts); a working
      // day, not Cognito's 30 days: a tab left open overnight signs in again. Revoked at sign-out.
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    this.issuer = `https://cognito-idp.${this.userPool.stack.region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
