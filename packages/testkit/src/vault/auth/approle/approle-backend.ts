import type { Clock } from '../../../clock.js';
import { formatGoTime, GO_ZERO_TIME } from '../../../util/go-time.js';
import { randomUuid } from '../../../util/random.js';
import { isRecord } from '../../../util/is-record.js';
import { addressInCidrs } from '../../cidr.js';
import { badRequest, internalError, notFound } from '../../errors.js';
import { readDuration, readInt, readString, readStringList } from '../../fields.js';
import { type HandlerContext, listResponse, type LogicalResponse } from '../../logical.js';
import type { Backend, MountEntry, MountTable } from '../../routing/mount-table.js';
import { route } from '../../routing/route.js';
import type { TokenStore } from '../../tokens/token-store.js';
import { type AppRole, roleView, type SecretIdEntry, writeRole } from './approle-role.js';

/**
 * The AppRole auth method (builtin/credential/approle; reference §2.1–2.3): role CRUD,
 * `role-id`, `secret-id` (create, custom, lookup, destroy, list) and `login`.
 */
export function approleBackend(tokens: TokenStore, mounts: MountTable, now: Clock): Backend {
  const roles = new Map<string, AppRole>();
  /** AppRole logins carry an entity; its alias name is the role_id, so one entity per role_id. */
  const entities = new Map<string, string>();

  const roleOf = (context: HandlerContext): AppRole => {
    const name = context.params['role_name'] ?? '';
    const role = roles.get(name);
    if (!role) throw badRequest(`role ${JSON.stringify(name)} does not exist`);
    return role;
  };
  const isLive = (entry: SecretIdEntry): boolean =>
    entry.expirationTimeMs === 0 || now() <= entry.expirationTimeMs;
  /** A live secret_id of the role; expired ones vanish as Vault's tidy removes them. */
  const liveSecretId = (role: AppRole, secretId: string): SecretIdEntry | undefined => {
    const entry = role.secretIds.get(secretId);
    if (entry && !isLive(entry)) role.secretIds.delete(secretId);
    return entry && isLive(entry) ? entry : undefined;
  };

  const issueSecretId = (context: HandlerContext, secretId: string): LogicalResponse => {
    const role = roleOf(context);
    if (!role.bindSecretId) throw badRequest('bind_secret_id is not set on the role');
    const data = context.request.data;
    const numUses = readInt(data, 'num_uses', role.secretIdNumUses);
    if (numUses < 0) throw badRequest('num_uses cannot be negative');
    if (role.secretIdNumUses > 0 && (numUses === 0 || numUses > role.secretIdNumUses)) {
      throw badRequest("num_uses cannot be higher than the role's secret_id_num_uses");
    }
    let ttl = readDuration(data, 'ttl', role.secretIdTtlSeconds);
    if (role.secretIdTtlSeconds > 0 && (ttl === 0 || ttl > role.secretIdTtlSeconds)) {
      throw badRequest("ttl cannot be longer than the role's secret_id_ttl");
    }
    // deriveSecretIDTTL: a TTL above the mount's max lease TTL is capped to it.
    ttl = Math.min(ttl, mounts.maxLeaseTtl(context.mount));
    const nowMs = now();
    const entry: SecretIdEntry = {
      secretId,
      accessor: randomUuid(),
      numUses,
      ttlSeconds: ttl,
      creationTimeMs: nowMs,
      expirationTimeMs: ttl === 0 ? 0 : nowMs + ttl * 1000,
      lastUpdatedTimeMs: nowMs,
      metadata: parseMetadata(data['metadata']),
      cidrList: readStringList(data, 'cidr_list'),
      tokenBoundCidrs: readStringList(data, 'token_bound_cidrs'),
    };
    role.secretIds.set(secretId, entry);
    return {
      data: {
        secret_id: entry.secretId,
        secret_id_accessor: entry.accessor,
        secret_id_num_uses: entry.numUses,
        secret_id_ttl: entry.ttlSeconds,
      },
    };
  };

  const secretIdParam = (context: HandlerContext): string => {
    const secretId = readString(context.request.data, 'secret_id').trim();
    if (secretId === '') throw badRequest('missing secret_id');
    return secretId;
  };

  const login = (context: HandlerContext): LogicalResponse => {
    const data = context.request.data;
    const roleId = readString(data, 'role_id').trim();
    if (roleId === '') throw badRequest('missing role_id');
    const role = [...roles.values()].find((candidate) => candidate.roleId === roleId);
    if (!role) throw badRequest('invalid role or secret ID');
    const remote = context.request.remoteAddress;
    if (role.secretIdBoundCidrs.length > 0 && !addressInCidrs(remote, role.secretIdBoundCidrs)) {
      // path_login.go formats the (nil) CIDR error into the message.
      throw badRequest(
        `source address ${JSON.stringify(remote)} unauthorized by CIDR restrictions on the role: <nil>`,
      );
    }

    let metadata: Readonly<Record<string, string>> = {};
    if (role.bindSecretId) {
      const secretId = secretIdParam(context);
      const entry = liveSecretId(role, secretId);
      if (!entry) throw badRequest('invalid role or secret ID');
      if (entry.cidrList.length > 0 && !addressInCidrs(remote, entry.cidrList)) {
        throw badRequest(
          `source address ${JSON.stringify(remote)} unauthorized through CIDR restrictions on the secret ID`,
        );
      }
      // The last use deletes the secret_id, and that login still succeeds.
      if (entry.numUses === 1) role.secretIds.delete(secretId);
      else if (entry.numUses > 1) {
        entry.numUses -= 1;
        entry.lastUpdatedTimeMs = now();
      }
      metadata = entry.metadata;
    }

    const entityId = entities.get(roleId) ?? randomUuid();
    entities.set(roleId, entityId);
    const { auth, warnings } = tokens.issue({
      mount: context.mount,
      path: context.request.path,
      policies: role.tokenPolicies,
      noDefaultPolicy: role.tokenNoDefaultPolicy,
      meta: { ...metadata, role_name: role.name },
      displayName: displayNameOf(context.mount),
      numUses: role.tokenNumUses,
      ttlSeconds: role.tokenTtlSeconds,
      maxTtlSeconds: role.tokenMaxTtlSeconds,
      explicitMaxTtlSeconds: role.tokenExplicitMaxTtlSeconds,
      periodSeconds: role.tokenPeriodSeconds,
      entityId,
      // pathLoginRenew re-reads the role: its current token_ttl/max_ttl/period apply.
      renewalTerms: () => {
        const current = roles.get(role.name);
        if (!current)
          throw internalError(`role ${JSON.stringify(role.name)} does not exist during renewal`);
        return {
          ttlSeconds: current.tokenTtlSeconds,
          maxTtlSeconds: current.tokenMaxTtlSeconds,
          periodSeconds: current.tokenPeriodSeconds,
        };
      },
    });
    return { auth, warnings };
  };

  return {
    routes: [
      route('login', { write: login }, { unauthenticated: true }),
      route('role', {
        list: () => listResponse(roles.keys()),
      }),
      route(
        'role/:role_name',
        {
          read: (context) => {
            const role = roles.get(context.params['role_name'] ?? '');
            if (!role) throw notFound();
            return { data: roleView(role) };
          },
          write: (context) => {
            const name = context.params['role_name'] ?? '';
            roles.set(name, writeRole(name, roles.get(name), context.request.data));
            return undefined;
          },
          delete: (context) => {
            roles.delete(context.params['role_name'] ?? '');
            return undefined;
          },
        },
        { exists: (context) => roles.has(context.params['role_name'] ?? '') },
      ),
      route('role/:role_name/role-id', {
        read: (context) => ({ data: { role_id: roleOf(context).roleId } }),
        write: (context) => {
          const roleId = readString(context.request.data, 'role_id').trim();
          if (roleId === '') throw badRequest('missing role_id');
          roleOf(context).roleId = roleId;
          return undefined;
        },
      }),
      route('role/:role_name/secret-id', {
        write: (context) => issueSecretId(context, randomUuid()),
        list: (context) =>
          listResponse(
            [...roleOf(context).secretIds.values()].filter(isLive).map((entry) => entry.accessor),
          ),
      }),
      route('role/:role_name/custom-secret-id', {
        write: (context) => issueSecretId(context, secretIdParam(context)),
      }),
      route('role/:role_name/secret-id/lookup', {
        // An unknown secret_id is a 204, not an error.
        write: (context) => {
          const entry = liveSecretId(roleOf(context), secretIdParam(context));
          return entry && { data: secretIdView(entry) };
        },
      }),
      route('role/:role_name/secret-id/destroy', {
        write: (context) => destroySecretId(roleOf(context), secretIdParam(context)),
        delete: (context) => destroySecretId(roleOf(context), secretIdParam(context)),
      }),
    ],
  };
}

function destroySecretId(role: AppRole, secretId: string): undefined {
  role.secretIds.delete(secretId);
  return undefined;
}

/** `display_name` of login tokens: the mount path without `auth/`, `/` → `-` (`approle`). */
function displayNameOf(mount: MountEntry): string {
  return mount.path.slice('auth/'.length).replace(/\//g, '-').replace(/-$/, '');
}

/** `metadata` is a JSON object (usually sent as a JSON string) of string values. */
function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw badRequest(`failed to parse metadata: ${(error as Error).message}`);
    }
  }
  if (!isRecord(parsed)) {
    throw badRequest('failed to parse metadata: expected a JSON object');
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, item]) => [key, String(item)]));
}

/** `secret-id/lookup` (reference §2.1): times in RFC 3339, Go's zero time for "never". */
function secretIdView(entry: SecretIdEntry): Record<string, unknown> {
  return {
    cidr_list: entry.cidrList,
    creation_time: formatGoTime(entry.creationTimeMs),
    expiration_time:
      entry.expirationTimeMs === 0 ? GO_ZERO_TIME : formatGoTime(entry.expirationTimeMs),
    last_updated_time: formatGoTime(entry.lastUpdatedTimeMs),
    metadata: entry.metadata,
    secret_id_accessor: entry.accessor,
    secret_id_num_uses: entry.numUses,
    secret_id_ttl: entry.ttlSeconds,
    token_bound_cidrs: entry.tokenBoundCidrs,
  };
}
