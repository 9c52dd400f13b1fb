/**
 * How deep the fuzz, fault and concurrency suites go. `npm test` runs them short, so CI stays
 * fast; `npm run test:long` sets `GUISE_LONG=1` for the deeper runs. Every such suite reads its
 * counts from `depth`, so one switch deepens them all and none invents its own variable.
 */
export const LONG_RUN = !['', '0', 'false'].includes(process.env['GUISE_LONG'] ?? '');

export interface Depths<T> {
  /** What `npm test` runs. */
  readonly short: T;
  /** What `npm run test:long` (`GUISE_LONG=1`) runs. */
  readonly long: T;
}

/** The count (or any setting) for this run's depth: `depth({ short: 2_000, long: 20_000 })`. */
export function depth<T>(depths: Depths<T>): T {
  return LONG_RUN ? depths.long : depths.short;
}
