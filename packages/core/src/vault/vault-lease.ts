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
 * Vault revokes every lease a service token created when that token expires or is revoked
 * (vault-api.md §2.4, §10 #3: a "30 m" key revoked after 2 m). For credentials that die with their
 * lease — IAM users, GCP service-account keys, Azure service principals — the usable lifetime
 * therefore ends at the earlier of the lease's end and the creating token's expiry, and the lease
 * remembers that token (its accessor) so a renewal after a re-login can be refused, and its own
 * end (`endsAt`), which a renewal extends even while the token cuts the credential. STS-style
 * credentials outlive their lease (revoking them does nothing at the cloud) and need none of this.
 */
export function bindLeaseToToken<T>(session: VaultSession, issued: Issued<T>): Issued<T> {
  if (!issued.lease) return issued;
  const { tokenExpiresAt, accessor } = session.status();
  const lease: Lease = {
    ...issued.lease,
    ...(accessor === undefined ? {} : { tokenAccessor: accessor }),
    endsAt: issued.expiresAt,
  };
  const expiresAt =
    tokenExpiresAt === undefined ? issued.expiresAt : Math.min(issued.expiresAt, tokenExpiresAt);
  return { ...issued, expiresAt, lease };
}

/**
 * Renews `current`'s lease in place (`sys/leases/renew`): the same secret, with the lifetime Vault
 * granted counted from when the renewal was sent, still bound to the token that owns the lease.
 * A lease created by a token the session no longer uses is not renewed — it dies with that token
 * whatever we do — so the caller (the broker) issues a new credential instead. Shared by every
 * source with renewable leases (AWS iam_user keys, GCP service-account keys, Azure principals).
 */
export async function renewLeased<T>(
  session: VaultSession,
  clock: Clock,
  sourceId: string,
  current: Issued<T>,
): Promise<Issued<T>> {
  const lease = current.lease;
  if (!lease?.renewable) throw new Error(`${sourceId}: the credential's lease is not renewable`);
  const owner = session.status().accessor;
  if (lease.tokenAccessor !== undefined && owner !== undefined && lease.tokenAccessor !== owner) {
    throw new Error(
      `${sourceId}: lease belongs to a previous Vault token; a new credential is needed`,
    );
  }
  const renewedAt = clock.now();
  const response = await session.renewLease(lease.id);
  return bindLeaseToToken(session, {
    value: current.value,
    issuedAt: renewedAt,
    expiresAt: renewedAt + response.lease_duration * 1000,
    lease: {
      id: response.lease_id || lease.id,
      renewable: response.renewable,
      durationSeconds: response.lease_duration,
    },
  });
}

/** `sys/leases/revoke` for `current`, when it has a lease. */
export async function revokeLeased(session: VaultSession, current: Issued<unknown>): Promise<void> {
  if (current.lease) await session.revokeLease(current.lease.id);
}
