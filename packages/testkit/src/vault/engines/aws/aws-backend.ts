import {
  AwsApiError,
  type FakeAwsAccount,
  type FakeAwsCredential,
} from '../../../aws/fake-aws-account.js';
import type { Clock } from '../../../clock.js';
import { formatGoDuration, parseDurationSeconds } from '../../../util/go-duration.js';
import { unixSeconds } from '../../../util/go-time.js';
import { randomUuid } from '../../../util/random.js';
import { badRequest, notFound } from '../../errors.js';
import { has, readDuration, readInt, readString } from '../../fields.js';
import { type HandlerContext, listResponse, type LogicalResponse } from '../../logical.js';
import type { Backend, MountTable } from '../../routing/mount-table.js';
import { route } from '../../routing/route.js';
import { type AwsRole, awsRoleView, writeAwsRole } from './aws-role.js';
import { iamUsername, normalizeDisplayName, stsUsername } from './usernames.js';

/** The field(s) STS credentials carry their session token in (reference §3.3). */
export type SessionTokenField = 'security_token' | 'session_token';

export interface AwsEngineOptions {
  readonly account: FakeAwsAccount;
  readonly now: Clock;
  readonly mounts: MountTable;
  /** Vault ≥ 1.16 sends both; older versions only `security_token`. Default: both. */
  readonly sessionTokenFields: readonly SessionTokenField[];
}

/** The IAM user whose keys Vault's root config holds; session_token credentials are its own. */
const ROOT_CONFIG_USER = 'vault-root';

/**
 * The AWS secrets engine (builtin/logical/aws; reference §3): `config/root`, `config/lease`,
 * `roles/:name`, and `creds/:name` / `sts/:name` issuing keys that the FakeAwsAccount knows.
 */
export function awsBackend(options: AwsEngineOptions): Backend {
  const { account, now, mounts } = options;
  const roles = new Map<string, AwsRole>();
  let rootConfig: Record<string, unknown> = {};
  let leaseConfig: { lease: number; leaseMax: number } | undefined;
  const leaseTerms = () => ({
    ttlSeconds: leaseConfig?.lease ?? 0,
    maxTtlSeconds: leaseConfig?.leaseMax ?? 0,
  });

  const issue = (context: HandlerContext): LogicalResponse => {
    const name = context.params['name'] ?? '';
    const role = roles.get(name);
    if (!role) throw badRequest(`Role ${JSON.stringify(name)} not found`);
    const data = context.request.data;
    // TTL: explicit > role default_sts_ttl > 3600, then capped by max_sts_ttl or the mount max.
    let ttl = has(data, 'ttl') ? readDuration(data, 'ttl') : role.defaultStsTtlSeconds || 3600;
    ttl = Math.min(ttl, role.maxStsTtlSeconds || mounts.maxLeaseTtl(context.mount));
    const displayName = context.token?.displayName ?? '';

    switch (role.credentialType) {
      case 'iam_user': {
        const userName = iamUsername(displayName, name, unixSeconds(now()));
        const key = account.createUserAccessKey(userName, role.userPath || '/');
        return {
          data: {
            access_key: key.accessKeyId,
            secret_key: key.secretAccessKey,
            ...tokenFields(null),
          },
          secret: {
            ...leaseTerms(),
            renewable: true,
            // Renewals apply the config/lease in force at the time (0 = the mount's values).
            renew: leaseTerms,
            // Revoking the lease deletes the IAM user and its keys.
            revoke: () => account.deleteUser(userName),
          },
        };
      }
      case 'assumed_role': {
        const roleArn = chooseRoleArn(role, name, readString(data, 'role_arn'));
        const requestedSession = readString(data, 'role_session_name');
        const session = requestedSession
          ? normalizeDisplayName(requestedSession).slice(0, 64)
          : iamUsername(displayName, name, unixSeconds(now()));
        const key = callAws('Error assuming role', () => account.assumeRole(roleArn, session, ttl));
        return stsAnswer(role, key, { arn: key.arn });
      }
      case 'federation_token': {
        if (role.policyDocument === '' && role.policyArns.length === 0) {
          throw badRequest(
            'must specify at least one of policy_arns or policy_document with federation_token credential_type',
          );
        }
        const federated = stsUsername(unixSeconds(now()));
        return stsAnswer(
          role,
          callAws('Error generating STS keys', () => account.getFederationToken(federated, ttl)),
          {},
        );
      }
      case 'session_token':
        return stsAnswer(
          role,
          callAws('Error generating STS keys', () =>
            account.getSessionToken(ROOT_CONFIG_USER, ttl),
          ),
          {},
        );
      default:
        throw badRequest(`unknown credential_type: ${JSON.stringify(role.credentialType)}`);
    }
  };

  const tokenFields = (value: string | null): Record<string, string | null> =>
    Object.fromEntries(options.sessionTokenFields.map((field) => [field, value]));

  /**
   * STS credentials: not renewable, lease = time to expiration; with `no_lease` no lease at all
   * and the remaining seconds in `ttl` instead.
   */
  const stsAnswer = (
    role: AwsRole,
    key: FakeAwsCredential,
    extra: Record<string, string>,
  ): LogicalResponse => {
    const ttl = Math.round(((key.expiresAtMs ?? now()) - now()) / 1000);
    const data = {
      access_key: key.accessKeyId,
      secret_key: key.secretAccessKey,
      ...tokenFields(key.sessionToken ?? null),
      ...extra,
    };
    if (role.noLease) return { data: { ...data, ttl } };
    return { data, secret: { ttlSeconds: ttl, maxTtlSeconds: 0, renewable: false } };
  };

  return {
    routes: [
      route('config/root', {
        // Vault never reads the secret key back.
        read: () => ({
          data: Object.fromEntries(
            Object.entries(rootConfig).filter(([key]) => key !== 'secret_key'),
          ),
        }),
        write: (context) => {
          const data = context.request.data;
          rootConfig = {
            access_key: readString(data, 'access_key'),
            secret_key: readString(data, 'secret_key'),
            region: readString(data, 'region'),
            iam_endpoint: readString(data, 'iam_endpoint'),
            sts_endpoint: readString(data, 'sts_endpoint'),
            max_retries: readInt(data, 'max_retries', -1),
            username_template: readString(data, 'username_template'),
          };
          return undefined;
        },
      }),
      route('config/lease', {
        read: () => {
          if (!leaseConfig) throw notFound();
          return {
            data: {
              lease: formatGoDuration(leaseConfig.lease),
              lease_max: formatGoDuration(leaseConfig.leaseMax),
            },
          };
        },
        write: (context) => {
          leaseConfig = {
            lease: requiredDuration(context, 'lease'),
            leaseMax: requiredDuration(context, 'lease_max'),
          };
          return undefined;
        },
      }),
      route('roles', {
        list: () => listResponse(roles.keys()),
      }),
      route('roles/:name', {
        read: (context) => {
          const role = roles.get(context.params['name'] ?? '');
          if (!role) throw notFound();
          return { data: awsRoleView(role) };
        },
        write: (context) => {
          const name = context.params['name'] ?? '';
          roles.set(name, writeAwsRole(roles.get(name), context.request.data));
          return undefined;
        },
        delete: (context) => {
          roles.delete(context.params['name'] ?? '');
          return undefined;
        },
      }),
      route('creds/:name', { read: issue, write: issue }),
      route('sts/:name', { read: issue, write: issue }),
    ],
  };
}

function chooseRoleArn(role: AwsRole, roleName: string, requested: string): string {
  if (requested === '') {
    const [only] = role.roleArns;
    if (role.roleArns.length !== 1 || only === undefined) {
      throw badRequest('did not supply a role_arn parameter and unable to determine one');
    }
    return only;
  }
  if (!role.roleArns.includes(requested)) {
    throw badRequest(
      `role_arn ${JSON.stringify(requested)} not in allowed role arns for Vault role ${JSON.stringify(roleName)}`,
    );
  }
  return requested;
}

/** AWS failures become Vault's 400 with aws-sdk-go's error text. */
function callAws(prefix: string, call: () => FakeAwsCredential): FakeAwsCredential {
  try {
    return call();
  } catch (error) {
    if (!(error instanceof AwsApiError)) throw error;
    throw badRequest(
      `${prefix}: ${error.code}: ${error.message}\n\tstatus code: ${error.status}, request id: ${randomUuid()}`,
    );
  }
}

/** `config/lease` takes Go duration strings and needs both fields (path_config_lease.go). */
function requiredDuration(context: HandlerContext, field: string): number {
  const text = readString(context.request.data, field);
  if (text === '') throw badRequest(`'${field}' is a required parameter`);
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined)
    throw badRequest(
      `Invalid ${field === 'lease' ? 'lease' : 'lease_max'}: time: invalid duration ${JSON.stringify(text)}`,
    );
  return seconds;
}
