import type { Clock } from '../../clock.js';
import { randomBase62 } from '../../util/random.js';
import { badRequest, internalError } from '../errors.js';
import type { IssuedAuth } from '../logical.js';
import type { MountEntry, MountTable } from '../routing/mount-table.js';
import { calculateTtl, PastMaxTtlError } from './calculate-ttl.js';
import { sanitizePolicies } from './sanitize-policies.js';
import type { TokenEntry, TokenRenewalTerms, WrappedResponse } from './token-entry.js';

/** What a backend asks the token store for when it issues a token (Vault's `logical.Auth`). */
export interface TokenGrant {
  readonly mount: MountEntry;
  readonly path: string;
  readonly policies: readonly string[];
  readonly noDefaultPolicy?: boolean;
  readonly meta?: Readonly<Record<string, string>> | null;
  readonly displayName: string;
  readonly numUses?: number;
  readonly parent?: TokenEntry;
  /** The backend TTL (0 = the mount default). */
  readonly ttlSeconds?: number;
  readonly maxTtlSeconds?: number;
  readonly explicitMaxTtlSeconds?: number;
  readonly periodSeconds?: number;
  readonly entityId?: string;
  readonly renewable?: boolean;
  /** The backend's renew hook; the token store's own semantics when absent. */
  readonly renewalTerms?: (token: TokenEntry) => TokenRenewalTerms;
  /** A caller-chosen token id (`auth/token/create` with `id`, root only). */
  readonly id?: string;
  readonly wrappedResponse?: WrappedResponse;
}

export interface TokenIssue {
  readonly auth: IssuedAuth;
  readonly warnings: readonly string[];
}

/** Tokens renewed through the token store keep their last TTL (`authRenew` returns `req.Auth`). */
const tokenStoreRenewalTerms = (token: TokenEntry): TokenRenewalTerms => ({
  ttlSeconds: token.lastTtlSeconds,
  maxTtlSeconds: token.maxTtlSeconds,
  periodSeconds: token.periodSeconds,
});

/**
 * Vault's token store and the token half of its expiration manager: issue, look up, renew, use,
 * revoke (with children and leases), expire on the injectable clock.
 */
export class TokenStore {
  private readonly tokens = new Map<string, TokenEntry>();

  constructor(
    private readonly now: Clock,
    private readonly mounts: MountTable,
    /** Revokes the leases a token created (they die with it: reference §2.4). */
    private readonly revokeLeasesOf: (tokenId: string) => void,
  ) {}

  /** The root token (`vault server -dev`): policy `root`, no TTL, path `auth/token/root`. */
  issueRoot(id: string, mount: MountEntry): TokenEntry {
    return this.store(
      this.newEntry(
        {
          mount,
          path: 'auth/token/root',
          policies: ['root'],
          displayName: 'root',
          id,
          renewable: false,
        },
        0,
        0,
      ),
    );
  }

  /**
   * Issues a token, computing its TTL as Vault does at login / token creation (CalculateTTL from
   * now). A token holding `root` with neither TTL nor period never expires.
   */
  issue(grant: TokenGrant): TokenIssue {
    const policies = sanitizePolicies(grant.policies, !grant.noDefaultPolicy);
    const neverExpires = policies.includes('root') && !grant.ttlSeconds && !grant.periodSeconds;
    if (neverExpires) {
      const token = this.store(this.newEntry({ ...grant, policies }, 0, 0));
      return { auth: { token, ttlSeconds: 0 }, warnings: [] };
    }
    const { ttlSeconds, warnings } = calculateTtl({
      nowMs: this.now(),
      increment: 0,
      backendTtl: grant.ttlSeconds ?? 0,
      period: grant.periodSeconds ?? 0,
      backendMaxTtl: grant.maxTtlSeconds ?? 0,
      explicitMaxTtl: grant.explicitMaxTtlSeconds ?? 0,
      defaultLeaseTtl: this.mounts.defaultLeaseTtl(grant.mount),
      maxLeaseTtl: this.mounts.maxLeaseTtl(grant.mount),
    });
    const token = this.store(
      this.newEntry({ ...grant, policies }, ttlSeconds, this.now() + ttlSeconds * 1000),
    );
    return { auth: { token, ttlSeconds }, warnings };
  }

  /** The live token with this id: not revoked, not expired (an expired one is revoked now). */
  find(id: string): TokenEntry | undefined {
    const token = this.tokens.get(id);
    if (!token || token.tainted) return undefined;
    if (this.isExpired(token)) {
      this.revoke(token);
      return undefined;
    }
    return token;
  }

  findByAccessor(accessor: string): TokenEntry | undefined {
    const token = [...this.tokens.values()].find((entry) => entry.accessor === accessor);
    return token && this.find(token.id);
  }

  /**
   * `ExpirationManager.RenewToken`: the lease must be renewable, the issuing backend states the
   * terms, CalculateTTL decides (its errors are plain Go errors there, hence 500).
   */
  renew(token: TokenEntry, incrementSeconds: number): TokenIssue {
    if (token.expireTimeMs === 0 || !token.renewable) throw badRequest('lease is not renewable');
    const terms = token.renewalTerms(token);
    const now = this.now();
    try {
      const { ttlSeconds, warnings } = calculateTtl({
        nowMs: now,
        startTimeMs: token.issueTimeMs,
        increment: incrementSeconds,
        backendTtl: terms.ttlSeconds,
        period: terms.periodSeconds,
        backendMaxTtl: terms.maxTtlSeconds,
        explicitMaxTtl: token.explicitMaxTtlSeconds,
        defaultLeaseTtl: this.mounts.defaultLeaseTtl(token.mount),
        maxLeaseTtl: this.mounts.maxLeaseTtl(token.mount),
      });
      token.lastTtlSeconds = ttlSeconds;
      token.expireTimeMs = now + ttlSeconds * 1000;
      token.lastRenewalTimeMs = now;
      return { auth: { token, ttlSeconds }, warnings };
    } catch (error) {
      if (error instanceof PastMaxTtlError) throw internalError(error.message);
      throw error;
    }
  }

  /** Counts one use of a limited-use token; the last use taints it (revoked after the request). */
  use(token: TokenEntry): void {
    if (token.numUses === 0) return;
    token.numUses -= 1;
    if (token.numUses === 0) token.tainted = true;
  }

  /** Revokes the token, its children (recursively) and every lease it created. */
  revoke(token: TokenEntry): void {
    if (!this.tokens.delete(token.id)) return;
    for (const child of [...this.tokens.values()].filter((entry) => entry.parentId === token.id)) {
      this.revoke(child);
    }
    this.revokeLeasesOf(token.id);
  }

  /** Revokes every token whose lease ran out (Vault's expiration timers). */
  expireDue(): void {
    for (const token of [...this.tokens.values()]) if (this.isExpired(token)) this.revoke(token);
  }

  /** Vault: a lease is expired once `now` is after its expire time. */
  private isExpired(token: TokenEntry): boolean {
    return token.expireTimeMs !== 0 && this.now() > token.expireTimeMs;
  }

  private store(token: TokenEntry): TokenEntry {
    this.tokens.set(token.id, token);
    return token;
  }

  private newEntry(grant: TokenGrant, ttlSeconds: number, expireTimeMs: number): TokenEntry {
    return {
      id: grant.id ?? `hvs.${randomBase62(24)}`,
      accessor: randomBase62(24),
      policies: grant.policies,
      path: grant.path,
      meta: grant.meta ?? null,
      displayName: grant.displayName,
      numUses: grant.numUses ?? 0,
      parentId: grant.parent?.id,
      creationTtlSeconds: ttlSeconds,
      explicitMaxTtlSeconds: grant.explicitMaxTtlSeconds ?? 0,
      periodSeconds: grant.periodSeconds ?? 0,
      entityId: grant.entityId ?? '',
      renewable: grant.renewable ?? true,
      mount: grant.mount,
      issueTimeMs: this.now(),
      expireTimeMs,
      lastRenewalTimeMs: 0,
      lastTtlSeconds: ttlSeconds,
      maxTtlSeconds: grant.maxTtlSeconds ?? 0,
      renewalTerms: grant.renewalTerms ?? tokenStoreRenewalTerms,
      tainted: false,
      ...(grant.wrappedResponse && { wrappedResponse: grant.wrappedResponse }),
    };
  }
}
