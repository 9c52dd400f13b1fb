import type { Clock, CredentialSource, Issued, VaultAccess, VaultSession } from '@guise/core';
import { bindLeaseToToken, leaseOf, renewLeased, revokeLeased } from '@guise/core';
import type { ServicePrincipal } from './service-principal.js';

export interface VaultAzureSourceOptions {
  /** Mount path of the Azure secrets engine. Default `azure`. */
  readonly mount?: string;
  /** The Vault role (`azure/roles/<role>`). */
  readonly role: string;
}

/** `data` of `azure/creds/:role` (vault-api.md §5). */
interface VaultAzureData {
  readonly client_id?: string;
  readonly client_secret?: string;
}

/**
 * Service principals from Vault's Azure secrets engine (`GET azure/creds/:role`). The lease is
 * renewable (TTL/max TTL of the role), so the broker extends it in place while tokens are being
 * exchanged with it and issues a new principal only once renewal stops extending it; a new
 * principal means a new Entra app that may not be usable for a while (see EntraTokenSource).
 */
export class VaultAzureSource implements CredentialSource<ServicePrincipal> {
  readonly id: string;
  /** A service principal is read (GET). */
  readonly vaultAccess: VaultAccess;
  private readonly path: string;

  constructor(
    private readonly session: VaultSession,
    options: VaultAzureSourceOptions,
    private readonly clock: Clock,
  ) {
    const mount = (options.mount ?? 'azure').replace(/^\/+|\/+$/g, '');
    this.path = `${mount}/creds/${options.role}`;
    this.id = `vault-azure:${this.path}`;
    this.vaultAccess = { path: this.path, capability: 'read' };
  }

  async issue(): Promise<Issued<ServicePrincipal>> {
    const requestedAt = this.clock.now();
    const response = await this.session.read<VaultAzureData>(this.path);
    const { client_id: clientId, client_secret: clientSecret } = response.data ?? {};
    if (!clientId || !clientSecret)
      throw new Error(`vault ${this.path}: response has no client_id/client_secret`);
    if (response.lease_duration <= 0)
      throw new Error(`vault ${this.path}: response has no lease_duration`);
    const lease = leaseOf(response);
    // Vault deletes the principal when the token that created its lease expires (vault-api.md §10 #3).
    return bindLeaseToToken(this.session, {
      value: { clientId, clientSecret },
      issuedAt: requestedAt,
      expiresAt: requestedAt + response.lease_duration * 1000,
      ...(lease ? { lease } : {}),
    });
  }

  renew(current: Issued<ServicePrincipal>): Promise<Issued<ServicePrincipal>> {
    return renewLeased(this.session, this.clock, this.id, current);
  }

  revoke(current: Issued<ServicePrincipal>): Promise<void> {
    return revokeLeased(this.session, current);
  }
}
