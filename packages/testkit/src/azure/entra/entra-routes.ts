import type { FakeAzureTenant } from '../fake-azure-tenant.js';
import { EntraError, invalidSecret, tenantNotFound, unknownClient } from './entra-errors.js';
import type { TokenSigner } from './token-signer.js';

/** A request as the fake's HTTP layer hands it over. */
export interface AzureRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface EntraSettings {
  readonly tenant: FakeAzureTenant;
  readonly signer: TokenSigner;
  /** The fake's own base URL: the OpenID issuer must share its scheme, host and port (§0.12). */
  readonly baseUrl: () => string;
  readonly tokenLifetimeSeconds: number;
}

const OPENID = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const TOKEN = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const KEYS = /^\/([^/]+)\/discovery\/v2\.0\/keys$/;

/**
 * Entra's endpoints that `ClientSecretCredential` (MSAL) uses with `disableInstanceDiscovery`
 * (reference/azure-imds.md §5.2): the tenant's OpenID configuration, its keys, and the v2
 * client-credentials token endpoint. Undefined for paths that are not Entra's.
 */
export function answerEntra(
  request: AzureRequest,
  settings: EntraSettings,
): JsonAnswer | undefined {
  const { tenant } = settings;
  const openId = OPENID.exec(request.path);
  if (openId && request.method === 'GET') {
    requireTenant(openId[1] ?? '', tenant);
    const base = `${settings.baseUrl()}/${tenant.tenantId}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
      },
    };
  }
  const keys = KEYS.exec(request.path);
  if (keys && request.method === 'GET') {
    requireTenant(keys[1] ?? '', tenant);
    return { status: 200, body: settings.signer.jwks() };
  }
  const token = TOKEN.exec(request.path);
  if (token && request.method === 'POST') {
    requireTenant(token[1] ?? '', tenant);
    return clientCredentials(request, settings);
  }
  return undefined;
}

function requireTenant(segment: string, tenant: FakeAzureTenant): void {
  if (segment.toLowerCase() !== tenant.tenantId) throw tenantNotFound(segment);
}

/** `grant_type=client_credentials` with `client_secret_post` or `client_secret_basic`. */
function clientCredentials(request: AzureRequest, settings: EntraSettings): JsonAnswer {
  const { tenant, signer } = settings;
  const form = new URLSearchParams(request.body);
  const [basicId, basicSecret] = basicCredentials(request.headers['authorization']);
  const clientId = form.get('client_id') ?? basicId ?? '';
  const clientSecret = form.get('client_secret') ?? basicSecret ?? '';
  if (form.get('grant_type') !== 'client_credentials') {
    throw new EntraError(
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.',
    );
  }
  const scope = form.get('scope') ?? '';
  // "All scopes must belong to one resource": one `<resource>/.default`.
  if (!scope.endsWith('/.default') || scope.includes(' ')) {
    throw new EntraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const principal = tenant.authenticate(clientId, clientSecret);
  if ('kind' in principal) {
    throw principal.kind === 'unknown-client'
      ? unknownClient(clientId, tenant.tenantId)
      : invalidSecret(clientId);
  }
  const now = Math.floor(tenant.now() / 1000);
  const lifetime = settings.tokenLifetimeSeconds;
  const accessToken = signer.sign({
    // Entra takes everything before the last slash as the audience (§5.1): `…net//.default` keeps
    // the trailing slash of `https://management.core.windows.net/`.
    aud: scope.slice(0, -'/.default'.length),
    iss: `${settings.baseUrl()}/${tenant.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    appid: principal.appId,
    idtyp: 'app',
    oid: principal.objectId,
    sub: principal.objectId,
    tid: tenant.tenantId,
    ver: '1.0',
  });
  tenant.recordAccessToken(accessToken);
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    },
  };
}

function basicCredentials(header: string | string[] | undefined): [string?, string?] {
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return [];
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return [];
  return [
    decodeURIComponent(decoded.slice(0, colon)),
    decodeURIComponent(decoded.slice(colon + 1)),
  ];
}
