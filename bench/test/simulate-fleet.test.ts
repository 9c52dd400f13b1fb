import { DEFAULT_FRESHNESS } from '@guise/core';
import { describe, expect, it } from 'vitest';
import { simulateFleet } from '../src/fleet/simulate-fleet.js';

// The bounded version of `npm run bench`'s fleet simulation (1,000 agents there).
describe('a fleet of 100 agents started together, over 24 simulated hours', () => {
  it('calls Vault about once per credential lifetime minus the serving floor, spread by jitter', async () => {
    const fleet = await simulateFleet({ agents: 100, hours: 24 });

    // 1 h credentials replaced 28–34 min after issue: 60 / 31 ≈ 1.9 issues per agent-hour.
    expect(fleet.issuesPerAgentHour).toBeGreaterThan(1.7);
    expect(fleet.issuesPerAgentHour).toBeLessThan(2.2);
    expect(fleet.startMinuteIssues).toBe(100);
    // Without jitter all 100 would refresh in the same minute, round after round.
    expect(fleet.largestBurstPerMinute).toBeLessThanOrEqual(35);
    expect(fleet.servedChecks).toBe(100 * 24 * 12);
    expect(fleet.servedTooNearExpiry).toBe(0);
  });

  it('concentrates refreshes when the jitter span is removed (the assertion above can fail)', async () => {
    const fleet = await simulateFleet({
      agents: 100,
      hours: 2,
      policy: { ...DEFAULT_FRESHNESS, refreshLeadFraction: 0 },
    });
    expect(fleet.largestBurstPerMinute).toBe(100);
  });
});
