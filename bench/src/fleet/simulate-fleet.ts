import type { FreshnessPolicy } from '@guise/core';
import { DEFAULT_FRESHNESS, ManualClock, servingFloorMs } from '@guise/core';
import { HttpCallsInFlight, waitForQuiet } from '@guise/testkit';
import { FleetAgent } from './fleet-agent.js';
import { startFleetVault } from './fleet-vault.js';
import type { RequestKind } from './vault-traffic.js';
import { REQUEST_KINDS, VaultTraffic } from './vault-traffic.js';

export interface FleetOptions {
  readonly agents: number;
  readonly hours: number;
  readonly policy?: FreshnessPolicy;
  /** How often every agent's client asks for its credential, to check what it is served. */
  readonly clientPollMs?: number;
}

export interface FleetFigures {
  readonly agents: number;
  readonly hours: number;
  /** Every Vault request of the fleet: logins, token renewals, credential issues, the rest. */
  readonly vaultRequests: number;
  /** Requests per agent-hour, in all and by kind. */
  readonly perAgentHour: Readonly<Record<RequestKind | 'total', number>>;
  /** Requests Vault answered with an error status. */
  readonly failedRequests: number;
  /** Requests in the first minute: every agent logging in and fetching its first credential. */
  readonly startMinuteRequests: number;
  /** The busiest minute after the first: what jitter has to keep flat. */
  readonly largestBurstPerMinute: number;
  /** Client asks checked, and those answered with a credential at or below the serving floor. */
  readonly servedChecks: number;
  readonly servedTooNearExpiry: number;
  /** Real time the simulation took, Vault set-up included. */
  readonly wallMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * How far the clock moves between quiet points. Timers fire at their own instants, but a call a
 * timer starts is answered only by the end of its step (the loopback round trip takes real time),
 * so Vault and the agent see that answer up to one step late. One minute is a twentieth of the
 * 20-minute serving floor and small beside the 36–40 minutes a token waits for renewal, and it is
 * the resolution of the per-minute figures, each step closing one minute. Thirty-second steps
 * would halve that lateness for twice the steps' real-time cost and no finer figures.
 */
const STEP_MS = MINUTE;

/**
 * A fleet of agents on one fake clock against the testkit's HTTP Vault: `agents` agents, each the
 * production chain (AppRole session, Vault AWS source, broker keeping one role warm), all started
 * in the same instant (the worst case: a fleet rebooted together), and `hours` simulated hours
 * passing. Counts every request Vault answers per simulated minute and checks what each agent's
 * client is served. After every step the fleet is left to go quiet (no Vault call on the wire)
 * before the clock moves again.
 */
export async function simulateFleet(options: FleetOptions): Promise<FleetFigures> {
  const started = performance.now();
  const clock = new ManualClock();
  const policy = options.policy ?? DEFAULT_FRESHNESS;
  const pollMs = options.clientPollMs ?? 5 * MINUTE;
  if (pollMs % STEP_MS !== 0) throw new Error(`fleet: clientPollMs must be whole minutes`);
  const { vault, login } = await startFleetVault(clock);
  const calls = new HttpCallsInFlight(new URL(vault.url).host);
  const traffic = new VaultTraffic(vault.requests);
  const quiet = () => waitForQuiet(calls, () => traffic.answered);
  const agents = Array.from(
    { length: options.agents },
    () => new FleetAgent(vault.url, login, clock, policy),
  );

  let servedChecks = 0;
  let servedTooNearExpiry = 0;
  try {
    await Promise.all(agents.map((agent) => agent.start()));
    await quiet();
    for (let minute = 0; minute < (options.hours * HOUR) / STEP_MS; minute++) {
      await clock.advance(STEP_MS);
      await quiet();
      if (((minute + 1) * STEP_MS) % pollMs === 0) {
        const served = await Promise.all(agents.map((agent) => agent.served()));
        for (const issued of served) {
          servedChecks += 1;
          const floor = servingFloorMs(policy, issued.expiresAt - issued.issuedAt);
          if (issued.expiresAt - clock.now() <= floor) servedTooNearExpiry += 1;
        }
        await quiet();
      }
      traffic.closeMinute(minute);
    }
  } finally {
    await Promise.all(agents.map((agent) => agent.stop()));
    calls.close();
    await vault.stop();
  }

  const byKind = traffic.byKind();
  const vaultRequests = REQUEST_KINDS.reduce((sum, kind) => sum + byKind[kind], 0);
  const agentHours = options.agents * options.hours;
  const [startMinute = 0, ...later] = traffic.minutes();
  return {
    agents: options.agents,
    hours: options.hours,
    vaultRequests,
    perAgentHour: {
      total: vaultRequests / agentHours,
      login: byKind.login / agentHours,
      tokenRenewal: byKind.tokenRenewal / agentHours,
      credentialIssue: byKind.credentialIssue / agentHours,
      other: byKind.other / agentHours,
    },
    failedRequests: traffic.failed(),
    startMinuteRequests: startMinute,
    largestBurstPerMinute: Math.max(0, ...later),
    servedChecks,
    servedTooNearExpiry,
    wallMs: performance.now() - started,
  };
}
