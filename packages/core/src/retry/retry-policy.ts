/** How hard to try one Vault call before giving up, and how long to wait between attempts. */
export interface RetrySettings {
  /** Attempts per call, the first included (a round over every configured address counts as one). */
  readonly maxAttempts: number;
  /** Ceiling of the first backoff; it doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
};

/**
 * Exponential backoff with full jitter: the wait before retry `n` (0-based) is uniform in
 * [0, min(max, base·2ⁿ)]. Full jitter spreads a fleet that failed together (Vault sealed, a 429
 * rate-limit quota) so it does not come back in lock step (reference/vault-api.md §1.3, §10 #5, #7).
 */
export class RetryPolicy {
  constructor(
    readonly settings: RetrySettings = DEFAULT_RETRY,
    private readonly random: () => number = Math.random,
  ) {}

  /** Milliseconds to wait after `failures` consecutive failures (1 = after the first one). */
  delayMs(failures: number): number {
    const { baseDelayMs, maxDelayMs } = this.settings;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, failures - 1));
    return Math.floor(this.random() * ceiling);
  }

  /** Whether a call that failed `failures` times may be tried again. */
  allowsRetry(failures: number): boolean {
    return failures < this.settings.maxAttempts;
  }
}
