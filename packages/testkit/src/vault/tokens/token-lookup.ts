import type { Clock } from '../../clock.js';
import { formatGoTime, unixSeconds } from '../../util/go-time.js';
import { remainingTtlSeconds } from '../leases/lease-store.js';
import type { TokenEntry } from './token-entry.js';

/**
 * The `data` of `auth/token/lookup*` (handleLookup in vault/token_store.go): `expire_time` and
 * `ttl` from the lease, `renewable` from `leaseTimes.renewable()`, `period` and the last-renewal
 * fields only when they apply. `identity_policies` appears in Vault only when non-empty; this
 * fake has no identity policies.
 */
export function tokenLookupData(
  token: TokenEntry,
  now: Clock,
  { hideId = false } = {},
): Record<string, unknown> {
  const nowMs = now();
  const expires = token.expireTimeMs !== 0;
  return {
    accessor: token.accessor,
    creation_time: unixSeconds(token.issueTimeMs),
    creation_ttl: token.creationTtlSeconds,
    display_name: token.displayName,
    entity_id: token.entityId,
    expire_time: expires ? formatGoTime(token.expireTimeMs) : null,
    explicit_max_ttl: token.explicitMaxTtlSeconds,
    id: hideId ? '' : token.id,
    issue_time: formatGoTime(token.issueTimeMs),
    meta: token.meta,
    num_uses: token.numUses,
    orphan: token.parentId === undefined,
    path: token.path,
    policies: token.policies,
    renewable: expires && token.renewable && nowMs <= token.expireTimeMs,
    ttl: expires ? remainingTtlSeconds(token.expireTimeMs, nowMs) : 0,
    type: 'service',
    ...(token.periodSeconds !== 0 && { period: token.periodSeconds }),
    ...(token.lastRenewalTimeMs !== 0 && {
      last_renewal_time: unixSeconds(token.lastRenewalTimeMs),
      last_renewal: formatGoTime(token.lastRenewalTimeMs),
    }),
  };
}
