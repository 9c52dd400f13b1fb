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

  /** Worth retrying later: rate limits, sealed/standby, server errors. */
  get transient(): boolean {
    return this.status === 412 || this.status === 429 || this.status >= 500;
  }
}

/** Vault could not be reached at all (connection refused, DNS, timeout) on any configured address. */
export class VaultUnreachableError extends Error {
  override readonly name = 'VaultUnreachableError';
}
