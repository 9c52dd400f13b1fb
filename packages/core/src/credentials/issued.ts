/** A Vault lease behind an issued credential (absent for credentials Vault issues without one). */
export interface Lease {
  readonly id: string;
  readonly renewable: boolean;
  /** Seconds the lease was granted for, as Vault reported it. */
  readonly durationSeconds: number;
  /**
   * Accessor of the Vault token that created the lease, for credentials that die with it (see
   * `vault/token-bound-lease.ts`). Not secret: an accessor cannot authenticate.
   */
  readonly tokenAccessor?: string;
  /**
   * When the lease itself ends, where the credential's `expiresAt` is cut shorter by something
   * else (the Vault token that created it expiring first). Absent: at `expiresAt`.
   */
  readonly endsAt?: number;
}

/**
 * A credential as a source hands it out: the value plus everything the broker needs to decide
 * how long it may be served. Times are epoch milliseconds on the injected clock.
 */
export interface Issued<T> {
  readonly value: T;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly lease?: Lease;
  /**
   * When the cloud starts accepting the credential, if later than its issue: a new IAM user key
   * is refused for seconds while IAM propagates it (vault-api.md §10 #1). The broker keeps serving
   * what it had until then, and a client with nothing else gets the retryable error meanwhile.
   */
  readonly usableFrom?: number;
}

/** Remaining lifetime of `issued` at `now`, in milliseconds (negative once expired). */
export function remainingMs(issued: Issued<unknown>, now: number): number {
  return issued.expiresAt - now;
}

/** Full lifetime the credential was issued with, in milliseconds. */
export function lifetimeMs(issued: Issued<unknown>): number {
  return issued.expiresAt - issued.issuedAt;
}

/** When `issued`'s lease ends (its credential may be cut short of that), else its expiry. */
export function leaseEndOf(issued: Issued<unknown>): number {
  return issued.lease?.endsAt ?? issued.expiresAt;
}
