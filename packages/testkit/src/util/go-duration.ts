/**
 * Durations the way Vault's Go code reads and prints them. All values are whole seconds: Vault
 * truncates TTLs to the second (sdk/framework/lease.go), so nothing finer is ever observable.
 */

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

/**
 * `parseutil.ParseDurationSecond`: a number is seconds; a string is either all digits (seconds)
 * or a Go duration (`90s`, `5m`, `1h30m`, `1.5h`, plus `d` for days). Returns undefined when the
 * value is not a duration.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return 0;
  if (/^-?\d+$/.test(text)) return Number.parseInt(text, 10);
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  const parts = [...body.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== body) return undefined;
  const seconds = parts.reduce(
    (sum, [, amount = '0', unit = 's']) => sum + Number(amount) * (UNIT_SECONDS[unit] ?? 0),
    0,
  );
  return sign * Math.trunc(seconds);
}

/** Go's `time.Duration.String()` for whole seconds: `0s`, `45s`, `5m0s`, `768h0m0s`. */
export function formatGoDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return '0s';
  const sign = totalSeconds < 0 ? '-' : '';
  const abs = Math.abs(totalSeconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const seconds = abs % 60;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/**
 * `humanDuration` of sdk/framework/lease.go: Go's duration text without zero elements
 * (`1h0m0s` → `1h`, `5m0s` → `5m`, `1h0m5s` → `1h5s`). Used in Vault's TTL-capping warnings.
 */
export function humanDuration(totalSeconds: number): string {
  let text = formatGoDuration(totalSeconds);
  if (text.endsWith('m0s')) text = text.slice(0, -2);
  const index = text.indexOf('h0m');
  if (index > 0) text = text.slice(0, index + 1) + text.slice(index + 3);
  return text;
}
