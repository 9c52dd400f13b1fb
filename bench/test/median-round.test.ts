import { describe, expect, it } from 'vitest';
import type { LoadRow } from '../src/measure/measure-load.js';
import { medianRound } from '../src/measure/measure-load.js';

const round = (requestsPerSecond: number, p99: number): LoadRow => ({
  caseName: 'c',
  dialect: 'aws',
  mode: 'close',
  server: 'guise',
  result: { requests: 1, requestsPerSecond, p50: 1, p99, max: p99, errors: 0, httpErrors: 0 },
  roundsRange: [requestsPerSecond, requestsPerSecond],
  segmentsPerRequest: 10,
  rssBeforeMB: 1,
  rssAfterMB: 1,
});

describe('medianRound', () => {
  it('reports the median round by req/s whole, with the range of all rounds', () => {
    const median = medianRound([round(300, 3), round(100, 1), round(200, 2)]);
    expect(median.result).toMatchObject({ requestsPerSecond: 200, p99: 2 });
    expect(median.roundsRange).toEqual([100, 300]);
  });

  it('refuses no rounds', () => {
    expect(() => medianRound([])).toThrow(/no rounds/);
  });
});
