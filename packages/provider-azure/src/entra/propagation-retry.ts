import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long to keep retrying Entra while a service principal Vault just created is not yet known
 * to it. Real time, not the agent's clock: Entra's replication does not follow a test's clock.
 */
export interface PropagationRetry {
  /** Give up this long after the first refusal. Default 60 s. */
  readonly windowMs: number;
  /** First delay, doubled after each refusal up to `maxDelayMs`. Default 500 ms, capped at 8 s. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_PROPAGATION_RETRY: PropagationRetry = {
  windowMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
};

/**
 * AADSTS700016 (unknown application) and AADSTS7000215 (invalid secret) are what Entra answers
 * for a fresh Vault-issued principal or secret until it has replicated
 * (reference/azure-imds.md §0.14, §5.3: vault-plugin-secrets-azure#23, #26, #57).
 */
export function isNotYetPropagated(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /AADSTS(700016|7000215)\b/.test(message);
}

/**
 * Runs `attempt`, retrying with capped exponential backoff while Entra says "not yet propagated".
 * `onRetry` hears of each refusal (`refusals` counts them, 1 for the first).
 */
export async function retryThroughPropagation<T>(
  attempt: () => Promise<T>,
  retry: PropagationRetry,
  onRetry: (error: unknown, delayMs: number, refusals: number) => void,
): Promise<T> {
  const started = Date.now();
  for (
    let delay = retry.baseDelayMs, refusals = 1;
    ;
    delay = Math.min(delay * 2, retry.maxDelayMs), refusals += 1
  ) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNotYetPropagated(error) || Date.now() + delay - started > retry.windowMs) throw error;
      onRetry(error, delay, refusals);
      await sleep(delay);
    }
  }
}
