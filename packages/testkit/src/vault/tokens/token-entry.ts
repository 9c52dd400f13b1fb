import type { MountEntry } from '../routing/mount-table.js';

/** What the issuing backend says on renewal: Vault's `Auth.TTL`, `Auth.MaxTTL`, `Auth.Period`. */
export interface TokenRenewalTerms {
  readonly ttlSeconds: number;
  readonly maxTtlSeconds: number;
  readonly periodSeconds: number;
}

/** A response stored in a response-wrapping token's cubbyhole (vault/wrapping.go). */
export interface WrappedResponse {
  /** The original response exactly as it would have gone on the wire. */
  readonly body: string;
  readonly creationPath: string;
  readonly creationTimeMs: number;
  readonly creationTtlSeconds: number;
}

/**
 * A Vault token: its entry (logical.TokenEntry) and its lease times (which Vault keeps in the
 * expiration manager; one object here, because nothing else shares them).
 */
export interface TokenEntry {
  readonly id: string;
  readonly accessor: string;
  /** Sanitized: lower-case, de-duplicated, sorted, `default` added unless refused. */
  readonly policies: readonly string[];
  /** The path that created it: `auth/approle/login`, `auth/token/create`, `auth/token/root`. */
  readonly path: string;
  readonly meta: Readonly<Record<string, string>> | null;
  readonly displayName: string;
  /** Remaining uses; 0 = unlimited. */
  numUses: number;
  /** The parent token's id; undefined for orphans. */
  readonly parentId: string | undefined;
  /** `creation_ttl`: the TTL it was issued with. */
  readonly creationTtlSeconds: number;
  readonly explicitMaxTtlSeconds: number;
  readonly periodSeconds: number;
  readonly entityId: string;
  readonly renewable: boolean;
  /** The mount that issued it; its system view bounds renewals. */
  readonly mount: MountEntry;
  readonly issueTimeMs: number;
  /** 0 = never expires (root tokens). */
  expireTimeMs: number;
  /** 0 = never renewed. */
  lastRenewalTimeMs: number;
  /** The last granted TTL (`le.Auth.TTL`), which a token-store renewal without increment re-applies. */
  lastTtlSeconds: number;
  /** The backend max TTL it was issued with (`Auth.MaxTTL`). */
  readonly maxTtlSeconds: number;
  /** The issuing backend's renew hook (AppRole re-reads its role); may throw a VaultError. */
  readonly renewalTerms: (token: TokenEntry) => TokenRenewalTerms;
  /** Uses exhausted during the current request: revoked once the request is done. */
  tainted: boolean;
  /** Set on response-wrapping tokens only. */
  readonly wrappedResponse?: WrappedResponse;
}
