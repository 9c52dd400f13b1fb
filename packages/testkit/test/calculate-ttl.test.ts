import { describe, expect, it } from 'vitest';
import { formatGoDuration, humanDuration, parseDurationSeconds } from '../src/util/go-duration.js';
import { formatGoTime } from '../src/util/go-time.js';
import {
  calculateTtl,
  PastMaxTtlError,
  type TtlInputs,
} from '../src/vault/tokens/calculate-ttl.js';

const HOUR = 3600;
const base: TtlInputs = {
  nowMs: 1_000_000_500,
  increment: 0,
  backendTtl: 0,
  period: 0,
  backendMaxTtl: 0,
  explicitMaxTtl: 0,
  defaultLeaseTtl: 768 * HOUR,
  maxLeaseTtl: 768 * HOUR,
};

describe('calculateTtl (sdk/framework/lease.go CalculateTTL)', () => {
  it('prefers the increment, then the backend TTL, then the mount default', () => {
    expect(calculateTtl({ ...base, increment: 600, backendTtl: 1200 }).ttlSeconds).toBe(600);
    expect(calculateTtl({ ...base, backendTtl: 1200 }).ttlSeconds).toBe(1200);
    expect(calculateTtl(base)).toEqual({ ttlSeconds: 768 * HOUR, warnings: [] });
  });

  it('caps at start + the smallest max with Vault’s warning, counting from the truncated start', () => {
    const later = {
      ...base,
      startTimeMs: 1_000_000_900,
      nowMs: 1_000_000_900 + 50 * 60_000,
      backendMaxTtl: HOUR,
    };
    expect(calculateTtl({ ...later, increment: HOUR })).toEqual({
      ttlSeconds: 600,
      warnings: [
        'TTL of "1h" exceeded the effective max_ttl of "10m"; TTL value is capped accordingly',
      ],
    });
    expect(calculateTtl({ ...later, increment: HOUR, explicitMaxTtl: 55 * 60 }).ttlSeconds).toBe(
      300,
    );
  });

  it('gives periodic tokens the period, capped by the effective max, bounded only by an explicit max', () => {
    expect(calculateTtl({ ...base, period: 24 * HOUR, increment: 60 }).ttlSeconds).toBe(24 * HOUR);
    expect(calculateTtl({ ...base, period: 24 * HOUR, backendMaxTtl: HOUR })).toEqual({
      ttlSeconds: HOUR,
      warnings: [
        'period of "24h" exceeded the effective max_ttl of "1h"; period value is capped accordingly',
      ],
    });
  });

  it('throws past the max TTL', () => {
    expect(() =>
      calculateTtl({ ...base, startTimeMs: 0, nowMs: 3_600_000, backendMaxTtl: HOUR }),
    ).toThrow(PastMaxTtlError);
    expect(() =>
      calculateTtl({ ...base, startTimeMs: 0, nowMs: 3_600_000, backendMaxTtl: HOUR }),
    ).toThrow('past the max TTL, cannot renew');
  });
});

describe('Go durations and times', () => {
  it('parses Vault’s duration inputs', () => {
    expect(parseDurationSeconds(300)).toBe(300);
    expect(parseDurationSeconds('300')).toBe(300);
    expect(parseDurationSeconds('5m')).toBe(300);
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(parseDurationSeconds('1.5h')).toBe(5400);
    expect(parseDurationSeconds('2d')).toBe(172_800);
    expect(parseDurationSeconds('soon')).toBeUndefined();
    expect(parseDurationSeconds('5 m')).toBeUndefined();
  });

  it('prints durations as Go does, and humanDuration trims zero units', () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(1800)).toBe('30m0s');
    expect(formatGoDuration(768 * HOUR)).toBe('768h0m0s');
    expect(humanDuration(HOUR)).toBe('1h');
    expect(humanDuration(3005)).toBe('50m5s');
    expect(humanDuration(HOUR + 5)).toBe('1h5s');
    expect(humanDuration(3000)).toBe('50m');
    expect(humanDuration(45)).toBe('45s');
  });

  it('prints times as Go’s RFC 3339 with trimmed fractions', () => {
    expect(formatGoTime(Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('2025-01-02T03:04:05Z');
    expect(formatGoTime(Date.UTC(2025, 0, 2, 3, 4, 5, 120))).toBe('2025-01-02T03:04:05.12Z');
  });
});
