import type { Clock } from '../../clock.js';
import { randomBase62 } from '../../util/random.js';
import { badRequest } from '../errors.js';
import type { SecretLease } from '../logical.js';
import type { MountEntry, MountTable } from '../routing/mount-table.js';
import { calculateTtl, PastMaxTtlError } from '../tokens/calculate-ttl.js';

/** A registered secret lease (Vault's leaseEntry for a `logical.Secret`). */
export interface Lease {
  /** `<request path>/<24 base62>`, e.g. `aws/creds/app/Xy…`. */
  readonly id: string;
  readonly tokenId: string;
  readonly mount: MountEntry;
  readonly secret: SecretLease;
  readonly issueTimeMs: number;
  expireTimeMs: number;
  lastRenewalTimeMs: number;
}

/** What the envelope reports of a lease: `lease_id`, `renewable`, `lease_duration`. */
export interface LeaseView {
  readonly id: string;
  readonly renewable: boolean;
  readonly durationSeconds: number;
}

export interface LeaseRenewal {
  readonly lease: LeaseView;
  readonly warnings: readonly string[];
}

/**
 * `leaseEntry.ttl()`: the expire time minus now rounded to the second, truncated to whole
 * seconds. What lookups report as `ttl`.
 */
export function remainingTtlSeconds(expireTimeMs: number, nowMs: number): number {
  return Math.trunc((expireTimeMs - Math.round(nowMs / 1000) * 1000) / 1000);
}

/** The secret half of Vault's expiration manager. */
export class LeaseStore {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly now: Clock,
    private readonly mounts: MountTable,
  ) {}

  /**
   * Registers a backend's secret as request_handling.go does: TTL 0 takes the mount default, then
   * the TTL is capped by the secret's max and the mount's max.
   */
  register(
    requestPath: string,
    tokenId: string,
    mount: MountEntry,
    secret: SecretLease,
  ): LeaseView {
    let maxTtl = this.mounts.maxLeaseTtl(mount);
    if (secret.maxTtlSeconds > 0 && secret.maxTtlSeconds < maxTtl) maxTtl = secret.maxTtlSeconds;
    const ttl = Math.min(secret.ttlSeconds || this.mounts.defaultLeaseTtl(mount), maxTtl);
    const now = this.now();
    const lease: Lease = {
      id: `${requestPath.replace(/\/$/, '')}/${randomBase62(24)}`,
      tokenId,
      mount,
      secret,
      issueTimeMs: now,
      expireTimeMs: now + ttl * 1000,
      lastRenewalTimeMs: 0,
    };
    this.leases.set(lease.id, lease);
    return { id: lease.id, renewable: secret.renewable, durationSeconds: ttl };
  }

  /** The lease if it is still registered; an expired one is revoked first. */
  find(leaseId: string): Lease | undefined {
    const lease = this.leases.get(leaseId);
    if (lease && this.now() > lease.expireTimeMs) {
      this.revoke(lease);
      return undefined;
    }
    return lease;
  }

  /**
   * `ExpirationManager.Renew`: `renewable()`'s checks and texts, the backend's renew terms, then
   * CalculateTTL from the lease's issue time. Every failure is a 400 there (`handleError`).
   */
  renew(leaseId: string, incrementSeconds: number): LeaseRenewal {
    const lease = this.find(leaseId);
    if (!lease) throw badRequest('lease not found');
    if (!lease.secret.renewable || !lease.secret.renew) throw badRequest('lease is not renewable');
    const terms = lease.secret.renew();
    const now = this.now();
    try {
      const { ttlSeconds, warnings } = calculateTtl({
        nowMs: now,
        startTimeMs: lease.issueTimeMs,
        increment: incrementSeconds,
        backendTtl: terms.ttlSeconds,
        period: 0,
        backendMaxTtl: terms.maxTtlSeconds,
        explicitMaxTtl: 0,
        defaultLeaseTtl: this.mounts.defaultLeaseTtl(lease.mount),
        maxLeaseTtl: this.mounts.maxLeaseTtl(lease.mount),
      });
      lease.expireTimeMs = now + ttlSeconds * 1000;
      lease.lastRenewalTimeMs = now;
      return { lease: { id: lease.id, renewable: true, durationSeconds: ttlSeconds }, warnings };
    } catch (error) {
      if (error instanceof PastMaxTtlError) throw badRequest(error.message);
      throw error;
    }
  }

  /** Revokes the lease through its backend (an iam_user's keys are deleted; STS: nothing to do). */
  revoke(lease: Lease): void {
    if (!this.leases.delete(lease.id)) return;
    lease.secret.revoke?.();
  }

  revokeByToken(tokenId: string): void {
    for (const lease of [...this.leases.values()])
      if (lease.tokenId === tokenId) this.revoke(lease);
  }

  /** `sys/leases/revoke-prefix` and unmounting: every lease whose id starts with `prefix`. */
  revokePrefix(prefix: string): void {
    for (const lease of [...this.leases.values()])
      if (lease.id.startsWith(prefix)) this.revoke(lease);
  }

  expireDue(): void {
    for (const lease of [...this.leases.values()])
      if (this.now() > lease.expireTimeMs) this.revoke(lease);
  }
}
