import type { Backend } from '../routing/mount-table.js';
import type { VaultServices } from '../services.js';
import { capabilitiesRoutes } from './capabilities.js';
import { leaseRoutes } from './leases.js';
import { mountRoutes } from './mounts.js';
import { policyRoutes } from './policies.js';
import { wrappingRoutes } from './wrapping.js';

/**
 * The `sys/` backend. `sys/health` and `sys/seal-status` are answered by the HTTP layer, because
 * they must work while the node is sealed or a standby.
 */
export function systemBackend(services: VaultServices): Backend {
  return {
    routes: [
      ...mountRoutes(services, 'secret'),
      ...mountRoutes(services, 'auth'),
      ...policyRoutes(services.policies),
      ...leaseRoutes(services.leases, services.now),
      ...wrappingRoutes(services.wrapper, services.tokens),
      ...capabilitiesRoutes(services.policies),
    ],
  };
}
