import type { LoadResult } from '../load-generator.js';
import { RESULT_MARKER } from './wrk-script.js';

/** The figures the script's `done` hook prints (microseconds for durations and latencies). */
type WrkFigure =
  | 'durationUs'
  | 'requests'
  | 'connectErrors'
  | 'readErrors'
  | 'writeErrors'
  | 'timeouts'
  | 'status400Plus'
  | 'p50Us'
  | 'p99Us'
  | 'maxUs';

/** Reads the figures the `done` hook of `wrkScript` printed among wrk's own output. */
export function parseWrkResult(stdout: string): LoadResult {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`wrk printed no result line:\n${stdout}`);
  const parsed = JSON.parse(line.slice(RESULT_MARKER.length)) as Record<string, unknown>;
  const figure = (name: WrkFigure): number => {
    const value = parsed[name];
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new Error(`wrk result lacks ${name}: ${line}`);
    return value;
  };
  const requests = figure('requests');
  const durationUs = figure('durationUs');
  // wrk reports percentiles of an empty histogram as 0; no answer has no latency.
  const latency = (name: 'p50Us' | 'p99Us' | 'maxUs') =>
    requests === 0 ? NaN : figure(name) / 1000;
  return {
    requests,
    requestsPerSecond: durationUs > 0 ? requests / (durationUs / 1e6) : 0,
    p50: latency('p50Us'),
    p99: latency('p99Us'),
    max: latency('maxUs'),
    errors:
      figure('connectErrors') + figure('readErrors') + figure('writeErrors') + figure('timeouts'),
    httpErrors: figure('status400Plus'),
  };
}
