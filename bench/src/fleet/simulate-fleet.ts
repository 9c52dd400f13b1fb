import type { CredentialSource, FreshnessPolicy, Issued } from '@guise/core';
import {
  CredentialBroker,
  DEFAULT_FRESHNESS,
  ManualClock,
  servingFloorMs,
  silentLogger,
} from '@guise/core';

export interface FleetOptions {
  readonly agents: number;
  readonly hours: number;
  /** Lifetime Vault grants each credential (AWS STS via Vault: 1 h by default). */
  readonly credentialTtlMs?: number;
  readonly policy?: FreshnessPolicy;
  /** How often every agent's client asks for its credential, to check what it is served. */
  readonly clientPollMs?: number;
}

export interface FleetFigures {
  readonly agents: number;
  readonly hours: number;
  /** Credential issues at the Vault across the fleet, start-up included. */
  readonly vaultIssues: number;
  readonly issuesPerAgentHour: number;
  /** Issues in the first minute: every agent fetching its first credential at once (a fleet reboot). */
  readonly startMinuteIssues: number;
  /** The busiest minute after the first refresh round began: what jitter has to keep flat. */
  readonly largestBurstPerMinute: number;
  /** Client asks checked, and those answered with a credential at or below the serving floor. */
  readonly servedChecks: number;
  readonly servedTooNearExpiry: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A fleet of agents on one fake clock: `agents` CredentialBrokers, all started in the same instant
 * (the worst case: a fleet rebooted together), each warming one credential, and 24 simulated hours
 * passing. Counts every issue per minute and checks what each agent's client is served.
 *
 * The backend is a counting in-process source rather than the testkit's HTTP Vault: the manual
 * clock lets promise continuations settle between timers, not loopback round trips, so a timer
 * firing while an HTTP call is still on the wire would see the wrong state; and 1,000 agents' own
 * Vault sessions would turn a second-long simulation into minutes. The broker — what decides when
 * Vault is called — is the real one; only its Vault is replaced.
 */
export async function simulateFleet(options: FleetOptions): Promise<FleetFigures> {
  const clock = new ManualClock();
  const policy = options.policy ?? DEFAULT_FRESHNESS;
  const ttl = options.credentialTtlMs ?? HOUR;
  const pollMs = options.clientPollMs ?? 5 * MINUTE;
  const startedAt = clock.now();
  const issuesPerMinute = new Map<number, number>();
  let vaultIssues = 0;

  const source: CredentialSource<string> = {
    id: 'fleet-vault',
    async issue(): Promise<Issued<string>> {
      vaultIssues += 1;
      const minute = Math.floor((clock.now() - startedAt) / MINUTE);
      issuesPerMinute.set(minute, (issuesPerMinute.get(minute) ?? 0) + 1);
      const issuedAt = clock.now();
      return { value: `credential-${vaultIssues}`, issuedAt, expiresAt: issuedAt + ttl };
    },
  };
  const brokers = Array.from(
    { length: options.agents },
    () => new CredentialBroker(clock, policy, silentLogger),
  );
  await Promise.all(brokers.map((broker) => broker.warm(source, undefined)));

  let servedChecks = 0;
  let servedTooNearExpiry = 0;
  for (let elapsed = 0; elapsed < options.hours * HOUR; elapsed += pollMs) {
    await clock.advance(pollMs);
    const served = await Promise.all(brokers.map((broker) => broker.get(source, undefined)));
    for (const issued of served) {
      servedChecks += 1;
      const floor = servingFloorMs(policy, issued.expiresAt - issued.issuedAt);
      if (issued.expiresAt - clock.now() <= floor) servedTooNearExpiry += 1;
    }
  }
  await Promise.all(brokers.map((broker) => broker.shutdown()));

  const later = [...issuesPerMinute].filter(([minute]) => minute > 0).map(([, n]) => n);
  return {
    agents: options.agents,
    hours: options.hours,
    vaultIssues,
    issuesPerAgentHour: vaultIssues / (options.agents * options.hours),
    startMinuteIssues: issuesPerMinute.get(0) ?? 0,
    largestBurstPerMinute: Math.max(0, ...later),
    servedChecks,
    servedTooNearExpiry,
  };
}
