import type { Clock, CredentialSource, Issued, VaultAccess, VaultSession } from '@guise/core';
import type { GcpAccessToken } from '../gcp-credentials.js';

/** The three kinds of Vault GCP secret that issue access tokens (vault-api.md §4). */
export type VaultGcpSecretKind = 'roleset' | 'static-account' | 'impersonated-account';

export interface VaultGcpTokenSourceOptions {
  /** Mount path of the GCP secrets engine. Default `gcp`. */
  mount?: string;
  kind: VaultGcpSecretKind;
  /** The roleset or account name. */
  name: string;
}

/** `data` of `gcp/<kind>/<name>/token` (vault-api.md §4, GCPP secrets_access_token.go). */
interface VaultGcpTokenData {
  readonly token?: string;
  readonly token_ttl?: number;
  readonly expires_at_seconds?: number;
}

/**
 * OAuth access tokens from Vault's GCP secrets engine: `GET <mount>/<kind>/<name>/token`. Vault
 * issues them without a lease (they cannot be renewed or revoked), so the broker re-issues before
 * expiry. The lifetime is `token_ttl` counted from when the request was sent, which needs no
 * agreement between Vault's clock and ours; `expires_at_seconds` is the fallback.
 */
export class VaultGcpTokenSource implements CredentialSource<GcpAccessToken> {
  readonly id: string;
  /** A token is read (GET). */
  readonly vaultAccess: VaultAccess;
  private readonly path: string;

  constructor(
    private readonly session: VaultSession,
    options: VaultGcpTokenSourceOptions,
    private readonly clock: Clock,
  ) {
    const mount = (options.mount ?? 'gcp').replace(/^\/+|\/+$/g, '');
    this.path = `${mount}/${options.kind}/${options.name}/token`;
    this.id = `vault-gcp:${this.path}`;
    this.vaultAccess = { path: this.path, capability: 'read' };
  }

  async issue(): Promise<Issued<GcpAccessToken>> {
    const requestedAt = this.clock.now();
    const response = await this.session.read<VaultGcpTokenData>(this.path);
    const data = response.data ?? {};
    if (!data.token) throw new Error(`vault ${this.path}: response has no token`);
    const expiresAt =
      typeof data.token_ttl === 'number' && data.token_ttl > 0
        ? requestedAt + data.token_ttl * 1000
        : (data.expires_at_seconds ?? 0) * 1000;
    if (expiresAt <= requestedAt) {
      throw new Error(`vault ${this.path}: response has neither a token_ttl nor an expiry ahead`);
    }
    return { value: { token: data.token }, issuedAt: requestedAt, expiresAt };
  }
}
