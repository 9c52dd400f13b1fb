import { badRequest, notFound } from '../errors.js';
import { readDuration, readString, readStringMap } from '../fields.js';
import type { HandlerContext } from '../logical.js';
import type { MountEntry } from '../routing/mount-table.js';
import { route, type Route } from '../routing/route.js';
import type { MountKind, VaultServices } from '../services.js';

/**
 * `sys/mounts` (secrets engines) and `sys/auth` (auth methods): list, enable, disable, tune.
 * One implementation for both; auth mounts live under `auth/` and need `sudo` to change
 * (`auth/*` is in the system backend's root paths).
 */
export function mountRoutes(services: VaultServices, kind: MountKind): Route[] {
  const segment = kind === 'auth' ? 'auth' : 'mounts';
  const fullPath = (path: string): string => (kind === 'auth' ? `auth/${path}` : path);
  const isOfKind = (entry: MountEntry): boolean =>
    (kind === 'auth') === entry.path.startsWith('auth/');
  const named = (context: HandlerContext): MountEntry | undefined => {
    const entry = services.mounts.get(fullPath(context.params['path'] ?? ''));
    return entry && isOfKind(entry) ? entry : undefined;
  };
  const existing = (context: HandlerContext): MountEntry => {
    const entry = named(context);
    if (!entry) throw notFound();
    return entry;
  };
  const sudo = kind === 'auth';

  return [
    route(
      `${segment}/*path/tune`,
      {
        read: (context) => ({ data: tuneView(services, existing(context)) }),
        write: (context) => {
          const entry = existing(context);
          const data = context.request.data;
          entry.tuning.defaultLeaseTtlSeconds = readDuration(
            data,
            'default_lease_ttl',
            entry.tuning.defaultLeaseTtlSeconds,
          );
          entry.tuning.maxLeaseTtlSeconds = readDuration(
            data,
            'max_lease_ttl',
            entry.tuning.maxLeaseTtlSeconds,
          );
          return undefined;
        },
      },
      { sudo },
    ),
    route(segment, {
      read: () => ({
        data: Object.fromEntries(
          services.mounts
            .all()
            .filter(isOfKind)
            .map((entry) => [pathUnder(kind, entry), mountView(entry, services.identity.version)]),
        ),
      }),
    }),
    route(
      `${segment}/*path`,
      {
        read: (context) => ({ data: mountView(existing(context), services.identity.version) }),
        write: (context) => {
          enable(services, kind, fullPath(context.params['path'] ?? ''), context.request.data);
          return undefined;
        },
        delete: (context) => {
          const entry = named(context);
          if (entry) {
            // Leases issued under the mount die with it (unmount revokes by prefix).
            services.leases.revokePrefix(entry.path);
            services.mounts.unmount(entry.path);
          }
          return undefined;
        },
      },
      { sudo },
    ),
  ];
}

function enable(
  services: VaultServices,
  kind: MountKind,
  path: string,
  data: Readonly<Record<string, unknown>>,
): void {
  const type = readString(data, 'type');
  if (type === '') throw badRequest('backend type must be specified as a string');
  if (services.mounts.get(path))
    throw badRequest(`path is already in use at ${path.endsWith('/') ? path : `${path}/`}`);
  const options = readStringMap(data, 'options');
  // `kv-v2` is the shorthand for `kv` with options.version=2 (what `vault secrets enable kv-v2` sends).
  const [engineType, engineOptions] =
    type === 'kv-v2' ? ['kv', { ...options, version: '2' }] : [type, options];
  const backend = services.createBackend(kind, engineType, engineOptions);
  if (!backend) throw badRequest(`plugin not found in the catalog: ${type}`);
  const config = readStringMap(data, 'config');
  services.mounts.mount({
    path,
    type: engineType,
    backend,
    description: readString(data, 'description'),
    options: Object.keys(engineOptions).length > 0 ? engineOptions : null,
    tuning: {
      defaultLeaseTtlSeconds: readDuration(config, 'default_lease_ttl'),
      maxLeaseTtlSeconds: readDuration(config, 'max_lease_ttl'),
    },
  });
}

/** The key a mount is listed under: `secret/`, and for auth methods the path without `auth/`. */
function pathUnder(kind: MountKind, entry: MountEntry): string {
  return kind === 'auth' ? entry.path.slice('auth/'.length) : entry.path;
}

function mountView(entry: MountEntry, version: string): Record<string, unknown> {
  return {
    accessor: entry.accessor,
    config: {
      default_lease_ttl: entry.tuning.defaultLeaseTtlSeconds,
      force_no_cache: false,
      max_lease_ttl: entry.tuning.maxLeaseTtlSeconds,
    },
    description: entry.description,
    external_entropy_access: false,
    local: false,
    options: entry.options,
    plugin_version: '',
    running_plugin_version: `v${version}+builtin.vault`,
    running_sha256: '',
    seal_wrap: false,
    type: entry.type,
    uuid: entry.uuid,
  };
}

function tuneView(services: VaultServices, entry: MountEntry): Record<string, unknown> {
  return {
    default_lease_ttl: services.mounts.defaultLeaseTtl(entry),
    description: entry.description,
    force_no_cache: false,
    max_lease_ttl: services.mounts.maxLeaseTtl(entry),
    options: entry.options,
  };
}
