import type { Clock } from '../clock/clock.js';
import type { Issued, Lease } from '../credentials/issued.js';
import type { VaultResponse } from './vault-response.js';
import type { VaultSession } from './vault-session.js';

/**
 * What every Vault-engine CredentialSource does with leases, whatever the engine: read the lease
 * from a response, renew it in place, give it back. Kept here so each source only knows its
 * engine's `data`.
 */

/** The lease of a secret Vault issued, or undefined when it has none. */
export function leaseOf(response: VaultResponse<unknown>): Lease | undefined {
  return response.lease_id
    ? {
        id: response.lease_id,
        renewable: response.renewable,
        durationSeconds: response.lease_duration,
      }
    : undefined;
}

/**
 * `sys/leases/renew` for `current`: the same secret with the expiry Vault granted now, counted from
 * when the renewal was sent (Vault caps a renewal at the lease's max TTL without saying so).
 */
export async function renewLeased<T>(
  session: VaultSession,
  clock: Clock,
  sourceId: string,
  current: Issued<T>,
): Promise<Issued<T>> {
  const lease = current.lease;
  if (!lease?.renewable) throw new Error(`${sourceId}: the credential's lease is not renewable`);
  const renewedAt = clock.now();
  const response = await session.renewLease(lease.id);
  return {
    value: current.value,
    issuedAt: renewedAt,
    expiresAt: renewedAt + response.lease_duration * 1000,
    lease: {
      id: response.lease_id || lease.id,
      renewable: response.renewable,
      durationSeconds: response.lease_duration,
    },
  };
}

/** `sys/leases/revoke` for `current`, when it has a lease. */
export async function revokeLeased(session: VaultSession, current: Issued<unknown>): Promise<void> {
  if (current.lease) await session.revokeLease(current.lease.id);
}
