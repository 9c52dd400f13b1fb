const PERMANENT_SERVER_ERRORS = /past the max TTL, cannot renew/i;

/**
 * Vault answered with an error status. `errors` is Vault's own list (`{"errors":[...]}`); statuses
 * follow reference/vault-api.md §1.3, so callers can tell a permission problem (403) from a bad
 * request (400) from an outage (429/5xx).
 */
export class VaultRequestError extends Error {
  override readonly name = 'VaultRequestError';
  constructor(
    readonly status: number,
    readonly errors: string[],
    readonly path: string,
  ) {
    super(`vault ${path}: ${status} ${errors.length ? errors.join('; ') : 'no error message'}`);
  }

  /**
   * Worth retrying later: rate limits, sealed/standby, server errors — except the 500s Vault
   * answers for a request that can never succeed (§2.4: renew-self `past the max TTL, cannot renew`
   * is a plain Go error, hence 500).
   */
  get transient(): boolean {
    if (this.errors.some((e) => PERMANENT_SERVER_ERRORS.test(e))) return false;
    return this.status === 412 || this.status === 429 || this.status >= 500;
  }
}

/** Vault could not be reached at all (connection refused, DNS, timeout) on any configured address. */
export class VaultUnreachableError extends Error {
  override readonly name = 'VaultUnreachableError';
}

/**
 * Logging in cannot work as configured, and retrying the same input will not change that: no
 * role_id/secret_id/token available, a wrapping token created somewhere unexpected, or one that was
 * already unwrapped. The message says what to deliver or fix; it never contains the secret.
 */
export class VaultLoginError extends Error {
  override readonly name = 'VaultLoginError';
}
