import type { FakeVault } from '@guise/testkit';

/**
 * A Vault failure the agent must ride out, switched on and off on a running fake Vault. Adding a
 * fault is one entry in `VAULT_FAULTS`; every entry runs through the same scenario.
 */
export interface VaultFault {
  readonly name: string;
  begin(vault: FakeVault): void;
  end(vault: FakeVault): void;
}

export const VAULT_FAULTS: readonly VaultFault[] = [
  {
    name: 'sealed (503 "Vault is sealed")',
    begin: (vault) => {
      vault.faults.sealed = true;
    },
    end: (vault) => {
      vault.faults.sealed = false;
    },
  },
  {
    name: 'standby redirecting (307) to an active node that is down',
    begin: (vault) => {
      vault.faults.standbyRedirectTo = 'http://127.0.0.1:9';
    },
    end: (vault) => {
      vault.faults.standbyRedirectTo = undefined;
    },
  },
  {
    name: 'intermittent 500s',
    // Enough queued failures to outlast the outage whatever the backoff's jitter draws.
    begin: (vault) => vault.faults.failNext(1_000, 500),
    end: (vault) => vault.faults.clearFailures(),
  },
];
