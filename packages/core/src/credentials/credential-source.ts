import type { Issued } from './issued.js';

/**
 * Where credentials of one kind come from: one implementation per Vault engine and kind
 * (`vault-aws`, `vault-gcp`, `vault-azure`, `vault-oidc`) plus `static`/callback sources for
 * embedding and tests. A source only knows how to talk to its backend; *when* to call it is the
 * broker's business (caching, single-flight, refresh-ahead), so sources stay small and stateless.
 *
 * `R` is what a caller may vary per request (GCP scopes, an OIDC audience, an Azure resource);
 * sources that issue one thing take `void`.
 */
export interface CredentialSource<T, R = void> {
  /** Stable, human-readable identity used in cache keys, logs and metrics: `vault-aws:aws/sts/app`. */
  readonly id: string;
  issue(request: R): Promise<Issued<T>>;
  /**
   * Extends a renewable lease in place (same secret, later expiry). Absent when the backend has no
   * renewable leases; the broker then re-issues instead.
   */
  renew?(current: Issued<T>): Promise<Issued<T>>;
  /** Gives the credential back (Vault lease revoke) when the broker shuts down and is told to. */
  revoke?(current: Issued<T>): Promise<void>;
  /** Cache key for a request; the broker keeps one credential per (source id, key). Default ''. */
  keyOf?(request: R): string;
}
