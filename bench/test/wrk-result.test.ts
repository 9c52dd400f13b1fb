import { describe, expect, it } from 'vitest';
import { parseWrkResult } from '../src/load/wrk/wrk-result.js';

const HUMAN = `Running 2s test @ http://127.0.0.1:18089/
  1 threads and 32 connections
  8741 requests in 2.06s, 819.47KB read
Requests/sec:   4249.83
`;

function resultLine(figures: Record<string, number>): string {
  return `GUISE_WRK_RESULT ${JSON.stringify(figures)}\n`;
}

const FIGURES = {
  durationUs: 2_000_000,
  requests: 9_000,
  connectErrors: 1,
  readErrors: 2,
  writeErrors: 3,
  timeouts: 4,
  status400Plus: 5,
  p50Us: 1_250,
  p99Us: 20_500,
  maxUs: 61_000,
};

describe('parseWrkResult', () => {
  it('reads the done hook line among wrk’s own output, latencies in ms', () => {
    expect(parseWrkResult(HUMAN + resultLine(FIGURES))).toEqual({
      requests: 9_000,
      requestsPerSecond: 4_500,
      p50: 1.25,
      p99: 20.5,
      max: 61,
      errors: 10,
      httpErrors: 5,
    });
  });

  it('gives no latency for a run without answers (wrk says 0)', () => {
    const result = parseWrkResult(resultLine({ ...FIGURES, requests: 0, p50Us: 0 }));
    expect(result.requestsPerSecond).toBe(0);
    expect(result.p50).toBeNaN();
    expect(result.max).toBeNaN();
  });

  it('fails loudly when the line or a figure is missing', () => {
    expect(() => parseWrkResult(HUMAN)).toThrow(/no result line/);
    const withoutTimeouts: Record<string, number> = { ...FIGURES };
    delete withoutTimeouts.timeouts;
    expect(() => parseWrkResult(resultLine(withoutTimeouts))).toThrow(/lacks timeouts/);
  });
});
