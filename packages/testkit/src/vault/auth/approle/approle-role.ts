import { randomUuid } from '../../../util/random.js';
import { badRequest } from '../../errors.js';
import {
  type Fields,
  has,
  readBool,
  readDuration,
  readInt,
  readString,
  readStringList,
} from '../../fields.js';

/** A secret_id issued for a role (builtin/credential/approle secretIDStorageEntry). */
export interface SecretIdEntry {
  readonly secretId: string;
  readonly accessor: string;
  /** Remaining uses; 0 = unlimited. */
  numUses: number;
  readonly ttlSeconds: number;
  readonly creationTimeMs: number;
  /** 0 = never expires. */
  readonly expirationTimeMs: number;
  lastUpdatedTimeMs: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly cidrList: readonly string[];
  readonly tokenBoundCidrs: readonly string[];
}

/** An AppRole role: its secret_id constraints and the token fields of the tokens it issues. */
export interface AppRole {
  readonly name: string;
  roleId: string;
  bindSecretId: boolean;
  secretIdBoundCidrs: string[];
  secretIdNumUses: number;
  secretIdTtlSeconds: number;
  readonly localSecretIds: boolean;
  tokenTtlSeconds: number;
  tokenMaxTtlSeconds: number;
  tokenPolicies: string[];
  tokenBoundCidrs: string[];
  tokenExplicitMaxTtlSeconds: number;
  tokenNoDefaultPolicy: boolean;
  tokenNumUses: number;
  tokenPeriodSeconds: number;
  readonly secretIds: Map<string, SecretIdEntry>;
}

/**
 * Creates or updates a role from a `POST auth/approle/role/:name` body: fields not sent keep
 * their value (defaults on create), deprecated spellings (`policies`, `period`,
 * `bound_cidr_list`) are honoured, and the validation messages are path_role.go's.
 */
export function writeRole(name: string, existing: AppRole | undefined, data: Fields): AppRole {
  const role: AppRole = existing ?? {
    name,
    roleId: readString(data, 'role_id') || randomUuid(),
    bindSecretId: true,
    secretIdBoundCidrs: [],
    secretIdNumUses: 0,
    secretIdTtlSeconds: 0,
    localSecretIds: readBool(data, 'local_secret_ids', false),
    tokenTtlSeconds: 0,
    tokenMaxTtlSeconds: 0,
    tokenPolicies: [],
    tokenBoundCidrs: [],
    tokenExplicitMaxTtlSeconds: 0,
    tokenNoDefaultPolicy: false,
    tokenNumUses: 0,
    tokenPeriodSeconds: 0,
    secretIds: new Map(),
  };
  if (existing && has(data, 'role_id')) role.roleId = readString(data, 'role_id');
  role.bindSecretId = readBool(data, 'bind_secret_id', role.bindSecretId);
  const cidrField = has(data, 'secret_id_bound_cidrs')
    ? 'secret_id_bound_cidrs'
    : 'bound_cidr_list';
  if (has(data, cidrField)) role.secretIdBoundCidrs = readStringList(data, cidrField);
  role.secretIdNumUses = readInt(data, 'secret_id_num_uses', role.secretIdNumUses);
  role.secretIdTtlSeconds = readDuration(data, 'secret_id_ttl', role.secretIdTtlSeconds);
  role.tokenTtlSeconds = readDuration(data, 'token_ttl', role.tokenTtlSeconds);
  role.tokenMaxTtlSeconds = readDuration(data, 'token_max_ttl', role.tokenMaxTtlSeconds);
  const policyField = has(data, 'token_policies') ? 'token_policies' : 'policies';
  if (has(data, policyField)) role.tokenPolicies = readStringList(data, policyField);
  if (has(data, 'token_bound_cidrs'))
    role.tokenBoundCidrs = readStringList(data, 'token_bound_cidrs');
  role.tokenExplicitMaxTtlSeconds = readDuration(
    data,
    'token_explicit_max_ttl',
    role.tokenExplicitMaxTtlSeconds,
  );
  role.tokenNoDefaultPolicy = readBool(data, 'token_no_default_policy', role.tokenNoDefaultPolicy);
  role.tokenNumUses = readInt(data, 'token_num_uses', role.tokenNumUses);
  const periodField = has(data, 'token_period') ? 'token_period' : 'period';
  role.tokenPeriodSeconds = readDuration(data, periodField, role.tokenPeriodSeconds);
  if (!['', 'default', 'service'].includes(readString(data, 'token_type'))) {
    throw badRequest('batch tokens are not supported by this fake Vault');
  }

  if (role.secretIdNumUses < 0) throw badRequest('secret_id_num_uses cannot be negative');
  if (role.tokenNumUses < 0) throw badRequest('token_num_uses cannot be negative');
  if (role.tokenMaxTtlSeconds > 0 && role.tokenTtlSeconds > role.tokenMaxTtlSeconds) {
    throw badRequest('token_ttl should not be greater than token_max_ttl');
  }
  if (
    !role.bindSecretId &&
    role.secretIdBoundCidrs.length === 0 &&
    role.tokenBoundCidrs.length === 0
  ) {
    throw badRequest('at least one constraint should be enabled on the role');
  }
  return role;
}

/** `GET auth/approle/role/:name` (pathRoleRead + tokenutil's PopulateTokenData). */
export function roleView(role: AppRole): Record<string, unknown> {
  return {
    bind_secret_id: role.bindSecretId,
    local_secret_ids: role.localSecretIds,
    secret_id_bound_cidrs: role.secretIdBoundCidrs,
    secret_id_num_uses: role.secretIdNumUses,
    secret_id_ttl: role.secretIdTtlSeconds,
    token_bound_cidrs: role.tokenBoundCidrs,
    token_explicit_max_ttl: role.tokenExplicitMaxTtlSeconds,
    token_max_ttl: role.tokenMaxTtlSeconds,
    token_no_default_policy: role.tokenNoDefaultPolicy,
    token_num_uses: role.tokenNumUses,
    token_period: role.tokenPeriodSeconds,
    token_policies: role.tokenPolicies,
    token_ttl: role.tokenTtlSeconds,
    token_type: 'default',
  };
}
