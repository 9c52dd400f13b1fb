import type { FakeVault } from '@guise/testkit';
import type { SeededVault } from '../support/seeded-agent.js';

/**
 * A Vault failure the agent must ride out, switched on and off on a running fake Vault. Adding a
 * fault is one entry in `VAULT_FAULTS`; every entry runs through the same scenario.
 */
export interface VaultFault {
  readonly name: string;
  /**
   * Whether the agent can get no credential at all while it lasts: clients then get their
   * dialect's retryable status once the cached credentials run out. Otherwise (a flaky Vault)
   * clients must not notice anything.
   */
  readonly outage: boolean;
  /** Vault set up differently before the agent starts (a role setting, say). */
  prepare?(seeded: SeededVault): Promise<void>;
  begin(vault: FakeVault): void;
  end(vault: FakeVault): void;
}

/** The Vault request timeout of the scenario's agent (`vault.requestTimeout`). */
export const SCENARIO_VAULT_TIMEOUT = '1s';

export const VAULT_FAULTS: readonly VaultFault[] = [
  {
    name: 'sealed (503 "Vault is sealed")',
    outage: true,
    begin: (vault) => {
      vault.faults.sealed = true;
    },
    end: (vault) => {
      vault.faults.sealed = false;
    },
  },
  {
    name: 'standby redirecting (307) to an active node that is down',
    outage: true,
    begin: (vault) => {
      vault.faults.standbyRedirectTo = 'http://127.0.0.1:9';
    },
    end: (vault) => {
      vault.faults.standbyRedirectTo = undefined;
    },
  },
  {
    name: '500 on every request',
    outage: true,
    // Enough queued failures to outlast the outage whatever the backoff's jitter draws.
    begin: (vault) => vault.faults.failNext(100_000, 500),
    end: (vault) => vault.faults.clearFailures(),
  },
  {
    name: 'intermittent 500s (every other request)',
    outage: false,
    begin: (vault) => vault.faults.failEvery(2, 500),
    end: (vault) => vault.faults.clearFailures(),
  },
  {
    // Renewal stops extending the token (Vault's max-TTL warning, a TTL that shrinks), so the
    // agent logs in again; the old token's leases (Azure principals, the GCP key) die with it.
    name: 'tokens capped at 70 min (max TTL): renewal stops extending them, their leases die with them',
    outage: false,
    prepare: async ({ operator, appRole }) => {
      await operator.write(`auth/approle/role/${appRole.roleName}`, { token_max_ttl: '70m' });
    },
    begin: () => undefined,
    end: () => undefined,
  },
  {
    name: 'unreachable (every connection cut)',
    outage: true,
    begin: (vault) => {
      vault.faults.unreachable = true;
    },
    end: (vault) => {
      vault.faults.unreachable = false;
    },
  },
  {
    // Real seconds: with the scenario's clock, an answer this late is hours of its time.
    name: `slow (every answer 2 s late, beyond the agent's ${SCENARIO_VAULT_TIMEOUT} request timeout)`,
    outage: true,
    begin: (vault) => {
      vault.faults.delayMs = 2_000;
    },
    end: (vault) => {
      vault.faults.delayMs = 0;
    },
  },
];
