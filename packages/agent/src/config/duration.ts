/**
 * Durations as Vault writes them: a whole number of seconds (`3600`, `"3600"`) or a sequence of
 * number-unit pairs with `s`, `m`, `h` or `d` (`90s`, `20m`, `1h30m`, `768h`). Operators copy these
 * from `vault read` output, so the agent accepts exactly that syntax rather than inventing its own.
 */
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^(?:\d+(?:\.\d+)?[smhd])+$/;
const PART = /(\d+(?:\.\d+)?)([smhd])/g;

/** Seconds in `value`, or undefined when it is not a duration. Fractions of a second are rounded up. */
export function parseDurationSeconds(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    seconds += Number(amount) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
  }
  return Math.ceil(seconds);
}

export const DURATION_EXPECTATION =
  'expected a duration such as 90s, 20m, 1h or a whole number of seconds';
