import { DEFAULT_FRESHNESS } from '@guise/core';
import { describe, expect, it } from 'vitest';
import { simulateFleet } from '../src/fleet/simulate-fleet.js';

// The bounded version of `npm run bench`'s fleet simulation (1,000 agents × 24 h there).
const AGENTS = 50;
const HOURS = 12;
const MINUTES = HOURS * 60;

// Credentials live 1 h, are served down to the 20-minute floor and replaced 6–12 minutes before
// it: 28–34 minutes after issue, timed from the issue itself. One at the start, then a refresh
// every 28–34 minutes.
const ISSUES = { least: 1 + Math.floor(MINUTES / 34), most: 1 + Math.floor(MINUTES / 28) };
// Tokens live 1 h and are renewed after 2/3 of it less up to a tenth: every 36–40 minutes, timed
// from the answer, which the one-minute steps may deliver up to a minute late.
const RENEWALS = { least: Math.floor(MINUTES / 41), most: Math.floor(MINUTES / 36) };

describe(`a fleet of ${AGENTS} agents started together, over ${HOURS} simulated hours`, () => {
  it('calls Vault once to log in, then per credential and token lifetime, spread by jitter', async () => {
    const fleet = await simulateFleet({ agents: AGENTS, hours: HOURS });
    const { perAgentHour } = fleet;

    expect(perAgentHour.login).toBe(1 / HOURS);
    expect(perAgentHour.credentialIssue).toBeGreaterThanOrEqual(ISSUES.least / HOURS);
    expect(perAgentHour.credentialIssue).toBeLessThanOrEqual(ISSUES.most / HOURS);
    expect(perAgentHour.tokenRenewal).toBeGreaterThanOrEqual(RENEWALS.least / HOURS);
    expect(perAgentHour.tokenRenewal).toBeLessThanOrEqual(RENEWALS.most / HOURS);
    expect(perAgentHour.other).toBe(0);
    expect(fleet.vaultRequests).toBeCloseTo(perAgentHour.total * AGENTS * HOURS, 6);
    expect(fleet.failedRequests).toBe(0);
    // Each agent's login and first credential; nothing else falls due in the first minute.
    expect(fleet.startMinuteRequests).toBe(2 * AGENTS);
    // Refresh rounds spread over 6 minutes and renewal rounds over 4: about a quarter of the
    // fleet in the busiest minute at most. Without jitter a whole round lands in one (below).
    expect(fleet.largestBurstPerMinute).toBeLessThan(fleet.startMinuteRequests / 3);
    expect(fleet.servedChecks).toBe(AGENTS * HOURS * 12);
    expect(fleet.servedTooNearExpiry).toBe(0);
  }, 30_000);

  it('concentrates refreshes when the jitter span is removed (the assertion above can fail)', async () => {
    const fleet = await simulateFleet({
      agents: AGENTS,
      hours: 2,
      policy: { ...DEFAULT_FRESHNESS, refreshLeadFraction: 0 },
    });
    expect(fleet.largestBurstPerMinute).toBeGreaterThanOrEqual(AGENTS);
  }, 30_000);
});
