/** Percentiles of a run, in milliseconds. */
export interface LatencySummary {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function summarizeLatencies(samples: Float64Array, count: number): LatencySummary {
  if (count === 0) return { p50: NaN, p99: NaN, max: NaN };
  const sorted = samples.slice(0, count).sort();
  const at = (q: number) => sorted[Math.min(count - 1, Math.floor(q * count))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[count - 1] ?? NaN };
}
