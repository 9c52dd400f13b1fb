import type { FakeAzureTenant } from '../../../azure/fake-azure-tenant.js';
import type { Clock } from '../../../clock.js';
import { unixSeconds } from '../../../util/go-time.js';
import { badRequest, notFound } from '../../errors.js';
import { readDuration, readString } from '../../fields.js';
import { type HandlerContext, listResponse, type LogicalResponse } from '../../logical.js';
import type { Backend } from '../../routing/mount-table.js';
import { route } from '../../routing/route.js';

/** A role of the Azure engine (vault-api.md §5): dynamic (new app per lease) or existing app. */
interface AzureRole {
  readonly azureRoles: string;
  readonly applicationObjectId: string;
  readonly ttlSeconds: number;
  readonly maxTtlSeconds: number;
}

export interface AzureEngineOptions {
  readonly tenant: FakeAzureTenant;
  readonly now: Clock;
}

/**
 * The Azure secrets engine (vault-plugin-secrets-azure; reference vault-api.md §5): `config`,
 * `roles/:name` (names lower-cased) and `creds/:role`. A dynamic role creates an app + service
 * principal per lease and deletes it on revoke; a role with `application_object_id` adds a new
 * password to that app and removes it on revoke. Leases are renewable with the role's ttl/max_ttl.
 */
export function azureBackend(options: AzureEngineOptions): Backend {
  const { tenant, now } = options;
  const roles = new Map<string, AzureRole>();
  let config: Record<string, string> = {};

  const issue = (context: HandlerContext): LogicalResponse => {
    const name = (context.params['role'] ?? '').toLowerCase();
    const role = roles.get(name);
    if (!role) throw badRequest(`role '${name}' does not exist`);
    const terms = { ttlSeconds: role.ttlSeconds, maxTtlSeconds: role.maxTtlSeconds };
    if (role.applicationObjectId !== '') {
      const app = tenant.findByApplicationObjectId(role.applicationObjectId);
      if (!app) throw badRequest(`error loading Application: application not found`);
      const password = tenant.addPassword(app.appId);
      return {
        data: { client_id: app.appId, client_secret: password.secret },
        secret: {
          ...terms,
          renewable: true,
          renew: () => terms,
          revoke: () => tenant.removePassword(app.appId, password.keyId),
        },
      };
    }
    // The plugin's display name: vault-<role>-<unix time>, as in the Entra portal.
    const { principal, secret } = tenant.createServicePrincipal(
      `vault-${name}-${unixSeconds(now())}`,
    );
    return {
      data: { client_id: principal.appId, client_secret: secret },
      secret: {
        ...terms,
        renewable: true,
        renew: () => terms,
        revoke: () => tenant.deleteServicePrincipal(principal.appId),
      },
    };
  };

  return {
    routes: [
      route('config', {
        // The client secret is never read back, as the plugin does.
        read: () => ({
          data: Object.fromEntries(
            Object.entries(config).filter(([key]) => key !== 'client_secret'),
          ),
        }),
        write: (context) => {
          const data = context.request.data;
          const tenantId = readString(data, 'tenant_id');
          if (tenantId !== '' && tenantId !== tenant.tenantId) {
            throw badRequest(`tenant_id ${tenantId} is not this fake's tenant ${tenant.tenantId}`);
          }
          config = {
            subscription_id: readString(data, 'subscription_id'),
            tenant_id: tenantId,
            client_id: readString(data, 'client_id'),
            client_secret: readString(data, 'client_secret'),
            environment: readString(data, 'environment', 'AzurePublicCloud'),
          };
          return undefined;
        },
      }),
      route('roles', { list: () => listResponse(roles.keys()) }),
      route('roles/:name', {
        read: (context) => {
          const role = roles.get((context.params['name'] ?? '').toLowerCase());
          if (!role) throw notFound();
          return {
            data: {
              azure_roles: role.azureRoles === '' ? null : JSON.parse(role.azureRoles),
              application_object_id: role.applicationObjectId,
              ttl: role.ttlSeconds,
              max_ttl: role.maxTtlSeconds,
            },
          };
        },
        write: (context) => {
          const data = context.request.data;
          const azureRoles = readAzureRoles(data['azure_roles']);
          const applicationObjectId = readString(data, 'application_object_id');
          if (azureRoles === '' && applicationObjectId === '') {
            throw badRequest('missing Azure role or group definitions, or application object ID');
          }
          roles.set((context.params['name'] ?? '').toLowerCase(), {
            azureRoles,
            applicationObjectId,
            ttlSeconds: readDuration(data, 'ttl'),
            maxTtlSeconds: readDuration(data, 'max_ttl'),
          });
          return undefined;
        },
        delete: (context) => {
          roles.delete((context.params['name'] ?? '').toLowerCase());
          return undefined;
        },
      }),
      route('creds/:role', { read: issue }),
    ],
  };
}

/** `azure_roles` is a JSON string (vault-api.md §5); clients sometimes send the array itself. */
function readAzureRoles(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    if (!Array.isArray(JSON.parse(text))) throw new Error('not an array');
  } catch {
    throw badRequest('error parsing Azure roles');
  }
  return text;
}
