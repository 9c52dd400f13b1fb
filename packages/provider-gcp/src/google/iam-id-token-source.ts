import type { Clock, CredentialBroker, CredentialSource, Issued } from '@guise/core';
import type { GcpAccessToken, IdToken, IdTokenRequest } from '../gcp-credentials.js';
import { GCE_MIN_REMAINING_MS } from '../service-accounts/token-endpoint.js';
import { expiryOf } from './jwt-expiry.js';

export interface IamCredentialsEndpoint {
  /** Default `https://iamcredentials.googleapis.com`. */
  readonly iamCredentialsUrl?: string;
}

/**
 * ID tokens for a service account that only has access tokens in Vault (a roleset, static or
 * impersonated account's `token`): IAM Credentials `generateIdToken` called with that token, as
 * reference/gcp-metadata.md §4.3 and §4.5 describe (the account needs
 * `iam.serviceAccounts.getOpenIdToken` on itself). Google signs the token, so relying parties
 * verify it exactly like those of `KeyIdTokenSource`.
 */
export class IamIdTokenSource implements CredentialSource<IdToken, IdTokenRequest> {
  readonly id: string;

  constructor(
    private readonly broker: CredentialBroker,
    private readonly tokens: CredentialSource<GcpAccessToken>,
    private readonly email: string,
    private readonly clock: Clock,
    private readonly endpoint: IamCredentialsEndpoint = {},
  ) {
    this.id = `${tokens.id}#generateIdToken:${email}`;
  }

  /** One cached token per audience; `format` does not change what IAM Credentials signs. */
  keyOf(request: IdTokenRequest): string {
    return request.audience;
  }

  async issue(request: IdTokenRequest): Promise<Issued<IdToken>> {
    const access = await this.broker.get(this.tokens, undefined, {
      minRemainingMs: GCE_MIN_REMAINING_MS,
    });
    const base = (
      this.endpoint.iamCredentialsUrl ?? 'https://iamcredentials.googleapis.com'
    ).replace(/\/+$/, '');
    const requestedAt = this.clock.now();
    const response = await fetch(
      `${base}/v1/projects/-/serviceAccounts/${encodeURIComponent(this.email)}:generateIdToken`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${access.value.token}`,
          'Content-Type': 'application/json',
        },
        // includeEmail: without `email`/`email_verified` IAP and others reject the token (§1.4).
        body: JSON.stringify({ delegates: [], audience: request.audience, includeEmail: true }),
      },
    );
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${this.id}: generateIdToken answered ${response.status}: ${text}`);
    }
    const { token } = JSON.parse(text) as { token?: unknown };
    const exp = typeof token === 'string' ? expiryOf(token) : undefined;
    if (typeof token !== 'string' || exp === undefined) {
      throw new Error(`${this.id}: generateIdToken returned no JWT with an exp claim`);
    }
    return { value: token, issuedAt: requestedAt, expiresAt: exp * 1000 };
  }
}
