import type { SecretInputConfig } from './auth/secret-input.js';
import type { RetrySettings } from '../retry/retry-policy.js';

/** AppRole login (reference/vault-api.md §2.2), optionally with a response-wrapped secret_id (§2.3). */
export interface AppRoleAuthConfig {
  readonly method: 'approle';
  /** Where the AppRole auth method is mounted; default `approle`. */
  readonly mount?: string;
  readonly roleId: SecretInputConfig;
  /** Omitted for roles created with `bind_secret_id=false`. */
  readonly secretId?: SecretInputConfig;
  /**
   * Whether the secret_id input holds a wrapping token rather than the secret_id itself. `'auto'`
   * (default) treats values shaped like a Vault token (`hvs.…`, `s.…`) as wrapping tokens.
   */
  readonly wrapped?: boolean | 'auto';
  /**
   * The role the secret_id must have been created for: a wrapping token's creation_path must then be
   * exactly `auth/<mount>/role/<roleName>/secret-id`; without it any role of this mount is accepted.
   */
  readonly roleName?: string;
  /** Delete a secret_id file once read, as Vault Agent does; default true. */
  readonly removeSecretIdFileAfterReading?: boolean;
}

/** A token someone else maintains in a file, e.g. a Vault Agent file sink. */
export interface TokenFileAuthConfig {
  readonly method: 'tokenFile';
  readonly path: string;
}

export type VaultAuthConfig = AppRoleAuthConfig | TokenFileAuthConfig;

/** When the session renews its token (reference/vault-api.md §2.4, §10 #3–#4). */
export interface RenewSettings {
  /** Renew after this share of the token's TTL has passed; default 2/3. */
  readonly fraction: number;
  /** Renew up to this share earlier still, at random, so a fleet spreads out; default 0.1. */
  readonly jitter: number;
  /** `increment` sent to renew-self, in seconds; Vault may ignore it. Default: none (role TTL). */
  readonly incrementSeconds?: number;
}

export const DEFAULT_RENEW: RenewSettings = { fraction: 2 / 3, jitter: 0.1 };

export interface VaultSessionConfig {
  /** Vault addresses (`https://vault-1:8200`), tried in order on connection errors. At least one. */
  readonly addresses: readonly string[];
  /** Vault Enterprise namespace, sent as `X-Vault-Namespace` on every request (§1.2). */
  readonly namespace?: string;
  /** PEM bundle of the CAs that sign Vault's certificate. */
  readonly caFile?: string;
  /** Per-request timeout; default 30 s. A timeout counts as a connection error. */
  readonly requestTimeoutMs?: number;
  readonly auth: VaultAuthConfig;
  /**
   * Where the token is kept (mode 0600) so a restart needs no new secret_id; omitted = not kept.
   * Not used with `tokenFile` auth, whose file already is the kept token.
   */
  readonly tokenStorePath?: string;
  /** Revoke the token on close(); default false (a kept token is what makes restarts cheap). */
  readonly revokeTokenOnClose?: boolean;
  readonly renew?: Partial<RenewSettings>;
  readonly retry?: Partial<RetrySettings>;
}

/**
 * The simplest session: one Vault, AppRole with a role_id and an unwrapped secret_id given as
 * values (an app embedding guise with its own secrets, a provider's test harness).
 */
export function appRoleSessionConfig(
  address: string,
  credentials: { readonly roleId: string; readonly secretId: string },
): VaultSessionConfig {
  return {
    addresses: [address],
    auth: {
      method: 'approle',
      roleId: { value: credentials.roleId },
      secretId: { value: credentials.secretId },
      wrapped: false,
    },
  };
}
