/**
 * How long a credential may be served and when the broker replaces it. Defaults follow what real
 * clients expect (see reference/aws-imds.md §0.5): botocore refreshes 15 min before expiry and JS v3
 * 5 min before, so a credential is served only while it has more than 20 min left — or half its
 * lifetime when Vault grants less than 40 min in all.
 */
export interface FreshnessPolicy {
  /** Least remaining lifetime of anything served while the backend works. */
  readonly minRemainingMs: number;
  /**
   * Replacement starts this share of the lifetime before the serving floor is reached, spread at
   * random over the same span again (so a fleet started together does not refresh together).
   */
  readonly refreshLeadFraction: number;
  /** When the backend fails, a cached credential is still served until this close to its expiry. */
  readonly outageMarginMs: number;
  /**
   * Real milliseconds a client waits for a replacement that is due (its credential is below the
   * serving floor) while the cached one is still usable in an outage; past that, it is served the
   * cached one and the replacement goes on. A slow or hanging Vault is not known to be failing
   * until its calls time out, and AWS SDKs give IMDS one second (reference/aws-imds.md §3).
   */
  readonly clientWaitMs: number;
  /** Retry delays after a failed refresh: exponential from `retryBaseMs`, capped, full jitter. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Revoke leased credentials when the broker shuts down (off by default: a restart reuses them). */
  readonly revokeOnShutdown: boolean;
}

export const DEFAULT_FRESHNESS: FreshnessPolicy = {
  minRemainingMs: 20 * 60_000,
  refreshLeadFraction: 0.1,
  outageMarginMs: 60_000,
  clientWaitMs: 500,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  revokeOnShutdown: false,
};

/** The floor below which `lifetime` worth of credential is no longer served while the backend works. */
export function servingFloorMs(
  policy: FreshnessPolicy,
  lifetime: number,
  minRemainingMs?: number,
): number {
  return Math.min(minRemainingMs ?? policy.minRemainingMs, lifetime / 2);
}
