import type { Clock } from '../clock/clock.js';
import type { Issued, Lease } from '../credentials/issued.js';
import type { VaultResponse } from './vault-response.js';
import type { VaultSession } from './vault-session.js';

/** The lease of a Vault answer, or undefined when Vault issued the secret without one. */
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
 * Renews `current`'s lease in place (`sys/leases/renew`): the same secret, with the lifetime Vault
 * granted counted from when the renewal was sent. Shared by every source with renewable leases
 * (AWS iam_user keys, GCP service-account keys).
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
