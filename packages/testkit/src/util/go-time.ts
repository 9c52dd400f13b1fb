/**
 * Go's `time.Time` JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed), in UTC as a Vault
 * server running in UTC prints it: `2024-05-01T10:00:00.123Z`, `2024-05-01T10:00:00Z`.
 */
export function formatGoTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // always .sss
  return iso.replace(/\.(\d*?)0*Z$/, (_match, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

/** Go's zero `time.Time`, which Vault prints for "never" (e.g. a secret_id's expiration_time). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Unix seconds of an epoch-ms instant (`time.Time.Unix()`). */
export function unixSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
