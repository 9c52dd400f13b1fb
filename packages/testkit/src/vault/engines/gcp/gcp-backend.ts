import type { FakeGcpProject } from '../../../gcp/fake-gcp-project.js';
import { unixSeconds } from '../../../util/go-time.js';
import { badRequest, notFound } from '../../errors.js';
import { has, readDuration, readString, readStringList } from '../../fields.js';
import { type HandlerContext, listResponse, type LogicalResponse } from '../../logical.js';
import type { Backend } from '../../routing/mount-table.js';
import { route } from '../../routing/route.js';

export interface GcpEngineOptions {
  readonly project: FakeGcpProject;
}

type SecretType = 'access_token' | 'service_account_key';

/** A roleset, static account or impersonated account: the account it stands for and its scopes. */
interface GcpAccount {
  readonly secretType: SecretType;
  readonly email: string;
  readonly project: string;
  readonly tokenScopes: readonly string[];
  readonly bindings: string;
  /** Impersonated accounts only: the token lifetime (0 = the engine's ttl). */
  readonly ttlSeconds: number;
}

type AccountKind = 'roleset' | 'static-account' | 'impersonated-account';

/** Google's access tokens live one hour; Vault passes them on unchanged (reference §4). */
const GOOGLE_TOKEN_SECONDS = 3600;
const KEY_ALGORITHM = 'KEY_ALG_RSA_2048';
const KEY_TYPE = 'TYPE_GOOGLE_CREDENTIALS_FILE';

/**
 * The GCP secrets engine (vault-plugin-secrets-gcp; reference §4): `config`, `roleset/:name`,
 * `static-account/:name`, `impersonated-account/:name`, their `token` endpoints (no lease; the
 * project's `ya29.` tokens) and `key` endpoints (a renewable lease whose revocation deletes the
 * key), plus the deprecated `token/:roleset` and `key/:roleset`.
 */
export function gcpBackend({ project }: GcpEngineOptions): Backend {
  const accounts: Record<AccountKind, Map<string, GcpAccount>> = {
    roleset: new Map(),
    'static-account': new Map(),
    'impersonated-account': new Map(),
  };
  let config = { ttlSeconds: 0, maxTtlSeconds: 0 };

  const missing = (kind: AccountKind, name: string) =>
    kind === 'roleset'
      ? badRequest(`role set '${name}' does not exists`)
      : badRequest(`${kind.replace('-', ' ')} "${name}" does not exists`);
  const label = (kind: AccountKind, name: string) =>
    kind === 'roleset' ? `role set '${name}'` : `${kind.replace('-', ' ')} '${name}'`;

  const token = (kind: AccountKind, name: string): LogicalResponse => {
    const account = accounts[kind].get(name);
    if (!account) throw missing(kind, name);
    if (account.secretType !== 'access_token') {
      throw badRequest(
        `${label(kind, name)} cannot generate access tokens (has secret type ${account.secretType})`,
      );
    }
    const warnings: string[] = [];
    let lifetime = GOOGLE_TOKEN_SECONDS;
    if (kind === 'impersonated-account') {
      lifetime = account.ttlSeconds || config.ttlSeconds || GOOGLE_TOKEN_SECONDS;
      if (!account.ttlSeconds) {
        warnings.push(
          `using backend default ttl "${lifetime}s" since impersonated account ttl not configured for token`,
        );
      }
      if (config.maxTtlSeconds && lifetime > config.maxTtlSeconds) {
        lifetime = config.maxTtlSeconds;
        warnings.push(`using backend max ttl "${lifetime}s"`);
      }
    }
    const issued = project.issueAccessToken(account.email, account.tokenScopes, lifetime);
    return {
      data: {
        token: issued.token,
        token_ttl: lifetime,
        expires_at_seconds: unixSeconds(issued.expiresAtMs),
      },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  };

  const key = (kind: AccountKind, name: string, context: HandlerContext): LogicalResponse => {
    const account = accounts[kind].get(name);
    if (!account) throw missing(kind, name);
    if (account.secretType !== 'service_account_key') {
      throw badRequest(
        `${label(kind, name)} cannot generate service account keys (has secret type ${account.secretType})`,
      );
    }
    const data = context.request.data;
    const keyType = readString(data, 'key_type', KEY_TYPE);
    if (keyType !== KEY_TYPE) throw badRequest(`key type ${keyType} is not supported by this fake`);
    const created = project.createKey(account.email);
    const ttl = has(data, 'ttl') ? readDuration(data, 'ttl') : config.ttlSeconds;
    return {
      data: {
        private_key_data: Buffer.from(created.credentialsFile).toString('base64'),
        key_algorithm: readString(data, 'key_algorithm', KEY_ALGORITHM),
        key_type: keyType,
      },
      secret: {
        ttlSeconds: ttl,
        maxTtlSeconds: config.maxTtlSeconds,
        renewable: true,
        renew: () => ({ ttlSeconds: config.ttlSeconds, maxTtlSeconds: config.maxTtlSeconds }),
        revoke: () => project.deleteKey(created.keyId),
      },
    };
  };

  const accountRoutes = (kind: AccountKind) => {
    const plural = kind === 'roleset' ? 'rolesets' : `${kind}s`;
    const nameOf = (context: HandlerContext) => context.params['name'] ?? '';
    return [
      route(plural, { list: () => listResponse(accounts[kind].keys()) }),
      route(`${kind}/:name`, {
        read: (context) => {
          const account = accounts[kind].get(nameOf(context));
          if (!account) throw notFound();
          return { data: accountView(kind, account) };
        },
        write: (context) => {
          const name = nameOf(context);
          accounts[kind].set(
            name,
            writeAccount(kind, name, accounts[kind].get(name), context, project),
          );
          return undefined;
        },
        delete: (context) => {
          accounts[kind].delete(nameOf(context));
          return undefined;
        },
      }),
      route(`${kind}/:name/token`, {
        read: (context) => token(kind, nameOf(context)),
        write: (context) => token(kind, nameOf(context)),
      }),
      ...(kind === 'impersonated-account'
        ? []
        : [
            route(`${kind}/:name/key`, {
              read: (context) => key(kind, nameOf(context), context),
              write: (context) => key(kind, nameOf(context), context),
            }),
          ]),
    ];
  };

  return {
    routes: [
      route('config', {
        read: () => ({ data: { ttl: config.ttlSeconds, max_ttl: config.maxTtlSeconds } }),
        write: (context) => {
          const data = context.request.data;
          config = {
            ttlSeconds: readDuration(data, 'ttl', config.ttlSeconds),
            maxTtlSeconds: readDuration(data, 'max_ttl', config.maxTtlSeconds),
          };
          return undefined;
        },
      }),
      ...accountRoutes('roleset'),
      ...accountRoutes('static-account'),
      ...accountRoutes('impersonated-account'),
      // Deprecated but still routed (GCPP path_role_set_secrets.go).
      route('token/:name', {
        read: (context) => token('roleset', context.params['name'] ?? ''),
        write: (context) => token('roleset', context.params['name'] ?? ''),
      }),
      route('key/:name', {
        read: (context) => key('roleset', context.params['name'] ?? '', context),
        write: (context) => key('roleset', context.params['name'] ?? '', context),
      }),
    ],
  };
}

function writeAccount(
  kind: AccountKind,
  name: string,
  existing: GcpAccount | undefined,
  context: HandlerContext,
  project: FakeGcpProject,
): GcpAccount {
  const data = context.request.data;
  const secretType = (
    kind === 'impersonated-account'
      ? 'access_token'
      : readString(data, 'secret_type', existing?.secretType ?? 'access_token')
  ) as SecretType;
  if (secretType !== 'access_token' && secretType !== 'service_account_key') {
    throw badRequest(`invalid secret_type "${secretType}"`);
  }
  const scopes = has(data, 'token_scopes')
    ? readStringList(data, 'token_scopes')
    : (existing?.tokenScopes ?? []);
  if (secretType === 'access_token' && scopes.length === 0) {
    throw badRequest('access_token secret type requires token_scopes');
  }
  // A roleset's account is created by Vault (`vault<name>-<unix>`); the others name an existing one.
  const email =
    kind === 'roleset'
      ? (existing?.email ??
        project.serviceAccountEmail(`vault${name}-${unixSeconds(project.now())}`.slice(0, 30)))
      : readString(data, 'service_account_email', existing?.email ?? '');
  if (email === '') throw badRequest('service_account_email is required');
  return {
    secretType,
    email,
    project: readString(data, 'project', existing?.project ?? project.projectId),
    tokenScopes: scopes,
    bindings: readString(data, 'bindings', existing?.bindings ?? ''),
    ttlSeconds: readDuration(data, 'ttl', existing?.ttlSeconds ?? 0),
  };
}

function accountView(kind: AccountKind, account: GcpAccount): Record<string, unknown> {
  return {
    ...(kind === 'impersonated-account' ? {} : { secret_type: account.secretType }),
    service_account_email: account.email,
    service_account_project: account.project,
    token_scopes: account.tokenScopes,
    ...(kind === 'impersonated-account' ? { ttl: account.ttlSeconds } : {}),
    ...(kind === 'roleset' ? { bindings: account.bindings } : {}),
  };
}
