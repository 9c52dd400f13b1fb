import type { JWT } from 'google-auth-library';
import type { Clock, CredentialBroker, CredentialSource, Issued } from '@guise/core';
import type { GcpAccessToken, IdToken, IdTokenRequest } from '../gcp-credentials.js';
import type { ServiceAccountKey } from '../vault/vault-gcp-key-source.js';
import { expiryOf } from './jwt-expiry.js';

/** Where Google's OAuth 2.0 token endpoint is; tests and `guise dev` point it at a local fake. */
export interface GoogleEndpoints {
  /** Default `https://oauth2.googleapis.com/token`. */
  readonly tokenUrl?: string;
}

/** What google-auth-library posts its JWT-bearer grants to, hard-coded in its gtoken module. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/**
 * A JWT client for `key` whose token requests go to `endpoints.tokenUrl`. google-auth-library
 * 10.x has no token-URL option for service-account keys, so its transporter rewrites the one URL;
 * the assertion's `aud` stays Google's token URL, which is what Google (and the fake) check.
 *
 * The library is imported on the first key-based token, not with the provider: an agent serving
 * tokens Vault issues itself (rolesets, static and impersonated accounts) never needs it, and
 * once loaded it stays resident (≈ 1 MiB of heap).
 */
async function jwtClient(
  key: ServiceAccountKey,
  endpoints: GoogleEndpoints,
  scopes?: string[],
): Promise<JWT> {
  const { gaxios, JWT } = await import('google-auth-library');
  const transporter = new gaxios.Gaxios();
  const tokenUrl = endpoints.tokenUrl;
  if (tokenUrl && tokenUrl !== GOOGLE_TOKEN_URL) {
    transporter.interceptors.request.add({
      resolved: async (options) => {
        if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(tokenUrl);
        return options;
      },
    });
  }
  return new JWT({
    email: key.clientEmail,
    key: key.privateKey,
    keyId: key.privateKeyId,
    ...(scopes ? { scopes } : {}),
    transporter,
  });
}

/**
 * Access tokens made from a Vault-issued service-account key: google-auth-library signs a
 * JWT-bearer grant with the key and exchanges it at Google's token endpoint. The key itself is
 * fetched (and its lease kept alive) through the broker.
 */
export class KeyAccessTokenSource implements CredentialSource<GcpAccessToken> {
  readonly id: string;

  constructor(
    private readonly broker: CredentialBroker,
    private readonly keys: CredentialSource<ServiceAccountKey>,
    private readonly scopes: readonly string[],
    private readonly clock: Clock,
    private readonly endpoints: GoogleEndpoints = {},
  ) {
    this.id = `${keys.id}#access-token:${[...scopes].sort().join(',')}`;
  }

  async issue(): Promise<Issued<GcpAccessToken>> {
    const key = await this.broker.get(this.keys, undefined);
    const requestedAt = this.clock.now();
    const client = await jwtClient(key.value, this.endpoints, [...this.scopes]);
    const credentials = await client.authorize();
    if (!credentials.access_token || !credentials.expiry_date) {
      throw new Error(`${this.id}: the token endpoint returned no access_token/expiry`);
    }
    // expiry_date is Date.now() + expires_in on the library's clock; re-base it on ours.
    const lifetime = credentials.expiry_date - Date.now();
    return {
      value: { token: credentials.access_token },
      issuedAt: requestedAt,
      expiresAt: requestedAt + lifetime,
    };
  }
}

/**
 * ID tokens made from a Vault-issued service-account key: google-auth-library's
 * `JWT.fetchIdToken(audience)` sends a JWT-bearer grant with `target_audience`, and Google's token
 * endpoint answers with an ID token it signed itself (`iss: https://accounts.google.com`,
 * verifiable with Google's public certs). Its expiry is read from the token's `exp` claim.
 */
export class KeyIdTokenSource implements CredentialSource<IdToken, IdTokenRequest> {
  readonly id: string;

  constructor(
    private readonly broker: CredentialBroker,
    private readonly keys: CredentialSource<ServiceAccountKey>,
    private readonly clock: Clock,
    private readonly endpoints: GoogleEndpoints = {},
  ) {
    this.id = `${keys.id}#id-token`;
  }

  /**
   * One cached token per audience. `format` and `licenses` do not change what Google's token
   * endpoint signs (see README: the `google.compute_engine` claims only GCE can sign).
   */
  keyOf(request: IdTokenRequest): string {
    return request.audience;
  }

  async issue(request: IdTokenRequest): Promise<Issued<IdToken>> {
    const key = await this.broker.get(this.keys, undefined);
    const requestedAt = this.clock.now();
    const client = await jwtClient(key.value, this.endpoints);
    const token = await client.fetchIdToken(request.audience);
    const exp = expiryOf(token);
    if (exp === undefined) throw new Error(`${this.id}: the ID token has no exp claim`);
    return { value: token, issuedAt: requestedAt, expiresAt: exp * 1000 };
  }
}
