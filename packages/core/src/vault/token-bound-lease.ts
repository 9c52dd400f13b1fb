import type { Issued, Lease } from '../credentials/issued.js';
import type { VaultSession } from './vault-session.js';

/**
 * Vault revokes every lease a service token created when that token expires or is revoked
 * (vault-api.md §2.4, §10 #3: a "30 m" key revoked after 2 m). For credentials that die with their
 * lease — IAM users, GCP service-account keys, Azure service principals — the usable lifetime
 * therefore ends at the earlier of the lease's end and the creating token's expiry, and renewing
 * such a lease after the session has moved to a new token would extend a lease whose owner is
 * about to take it down. (STS-style credentials outlive their lease: revoking them does nothing
 * at the cloud, so they need none of this.)
 */
export function bindLeaseToToken<T>(session: VaultSession, issued: Issued<T>): Issued<T> {
  if (!issued.lease) return issued;
  const { tokenExpiresAt, accessor } = session.status();
  const lease: Lease =
    accessor === undefined ? issued.lease : { ...issued.lease, tokenAccessor: accessor };
  const expiresAt =
    tokenExpiresAt === undefined ? issued.expiresAt : Math.min(issued.expiresAt, tokenExpiresAt);
  return { ...issued, expiresAt, lease };
}

/** Throws when `lease` was created by a token the session no longer uses: issue anew instead. */
export function assertLeaseOwnedBySession(session: VaultSession, lease: Lease): void {
  const current = session.status().accessor;
  if (
    lease.tokenAccessor !== undefined &&
    current !== undefined &&
    lease.tokenAccessor !== current
  ) {
    throw new Error(
      `lease ${lease.id} belongs to a previous Vault token; a new credential is needed`,
    );
  }
}
