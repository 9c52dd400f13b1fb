import { humanDuration } from '../../util/go-duration.js';

/** The inputs of Vault's `framework.CalculateTTL`, all durations in whole seconds. */
export interface TtlInputs {
  readonly nowMs: number;
  /** The lease's issue time; undefined while the lease is being created. */
  readonly startTimeMs?: number;
  /** The TTL the client asked for (renew `increment`); 0 = none. */
  readonly increment: number;
  /** The TTL the backend proposes (role `token_ttl`, config `lease`); 0 = the mount default. */
  readonly backendTtl: number;
  readonly period: number;
  /** The backend's max (role `token_max_ttl`, config `lease_max`); 0 = the mount max. */
  readonly backendMaxTtl: number;
  readonly explicitMaxTtl: number;
  /** The mount's system view. */
  readonly defaultLeaseTtl: number;
  readonly maxLeaseTtl: number;
}

export interface TtlResult {
  readonly ttlSeconds: number;
  readonly warnings: readonly string[];
}

/** `past the max TTL, cannot renew`: the lease cannot be extended any more. */
export class PastMaxTtlError extends Error {
  constructor() {
    super('past the max TTL, cannot renew');
    this.name = 'PastMaxTtlError';
  }
}

/**
 * Vault's `CalculateTTL` (sdk/framework/lease.go), step for step: times truncated to the second,
 * effective max = min(mount max, backend max, explicit max); periodic tokens get the period (capped,
 * and bounded only by an explicit max); otherwise increment > backend TTL > mount default, bounded
 * by start + max, with Vault's exact warning texts (reference §2.4).
 */
export function calculateTtl(input: TtlInputs): TtlResult {
  const now = Math.floor(input.nowMs / 1000);
  const start = input.startTimeMs === undefined ? now : Math.floor(input.startTimeMs / 1000);
  const warnings: string[] = [];

  let maxTtl = input.maxLeaseTtl;
  if (input.backendMaxTtl > 0 && input.backendMaxTtl < maxTtl) maxTtl = input.backendMaxTtl;
  if (input.explicitMaxTtl > 0 && input.explicitMaxTtl < maxTtl) maxTtl = input.explicitMaxTtl;

  let ttl: number;
  let maxValidTime: number | undefined;
  if (input.period > 0) {
    let period = input.period;
    if (period > maxTtl) {
      warnings.push(
        `period of "${humanDuration(period)}" exceeded the effective max_ttl of "${humanDuration(maxTtl)}"; period value is capped accordingly`,
      );
      period = maxTtl;
    }
    ttl = period;
    if (input.explicitMaxTtl > 0) maxValidTime = start + input.explicitMaxTtl;
  } else {
    ttl = input.increment > 0 ? input.increment : input.backendTtl || input.defaultLeaseTtl;
    maxValidTime = start + maxTtl;
  }

  if (maxValidTime !== undefined) {
    const maxValidTtl = maxValidTime - now;
    if (maxValidTtl <= 0) throw new PastMaxTtlError();
    if (maxValidTtl < ttl) {
      warnings.push(
        `TTL of "${humanDuration(ttl)}" exceeded the effective max_ttl of "${humanDuration(maxValidTtl)}"; TTL value is capped accordingly`,
      );
      ttl = maxValidTtl;
    }
  }
  return { ttlSeconds: ttl, warnings };
}
