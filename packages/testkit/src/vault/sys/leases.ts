import { formatGoTime } from '../../util/go-time.js';
import { badRequest } from '../errors.js';
import { readBool, readDuration, readString } from '../fields.js';
import type { Handler, HandlerContext } from '../logical.js';
import { type LeaseStore, remainingTtlSeconds } from '../leases/lease-store.js';
import { route, type Route } from '../routing/route.js';
import type { Clock } from '../../clock.js';

/**
 * `sys/leases/{renew,revoke,lookup}` (and the old `sys/renew`, `sys/revoke`), PUT or POST, the
 * lease id in the body or as a path suffix (the body wins), errors as in vault/logical_system.go.
 */
export function leaseRoutes(leases: LeaseStore, now: Clock): Route[] {
  const leaseIdOf = (context: HandlerContext): string => {
    const leaseId =
      readString(context.request.data, 'lease_id') || (context.params['suffix'] ?? '');
    if (leaseId === '') throw badRequest('lease_id must be specified');
    return leaseId;
  };

  const renew: Handler = (context) => {
    const { lease, warnings } = leases.renew(
      leaseIdOf(context),
      readDuration(context.request.data, 'increment'),
    );
    return { data: null, lease, warnings };
  };

  // sync (default true) revokes now → 204; sync=false queues the revocation → 202.
  const revoke: Handler = (context) => {
    const lease = leases.find(leaseIdOf(context));
    if (lease) leases.revoke(lease);
    return readBool(context.request.data, 'sync', true)
      ? undefined
      : { data: null, statusCode: 202 };
  };

  const lookup: Handler = (context) => {
    const lease = leases.find(leaseIdOf(context));
    if (!lease) throw badRequest('invalid lease');
    const nowMs = now();
    return {
      data: {
        id: lease.id,
        issue_time: formatGoTime(lease.issueTimeMs),
        expire_time: formatGoTime(lease.expireTimeMs),
        last_renewal: lease.lastRenewalTimeMs === 0 ? null : formatGoTime(lease.lastRenewalTimeMs),
        renewable: lease.secret.renewable && nowMs <= lease.expireTimeMs,
        ttl: remainingTtlSeconds(lease.expireTimeMs, nowMs),
      },
    };
  };

  return [
    ...['leases/renew', 'renew'].flatMap((path) => [
      route(path, { write: renew }),
      route(`${path}/*suffix`, { write: renew }),
    ]),
    ...['leases/revoke', 'revoke'].flatMap((path) => [
      route(path, { write: revoke }),
      route(`${path}/*suffix`, { write: revoke }),
    ]),
    route('leases/lookup', { write: lookup }),
    route(
      'leases/revoke-prefix/*prefix',
      {
        write: (context) => {
          leases.revokePrefix(context.params['prefix'] ?? '');
          return undefined;
        },
      },
      { sudo: true },
    ),
  ];
}
