import type { Clock, CredentialSource, Issued, VaultAccess, VaultSession } from '@guise/core';
import { bindLeaseToToken, leaseOf, renewLeased, revokeLeased } from '@guise/core';

/** The parts of a service-account key file (`TYPE_GOOGLE_CREDENTIALS_FILE`) a JWT client needs. */
export interface ServiceAccountKey {
  readonly clientEmail: string;
  readonly privateKey: string;
  readonly privateKeyId: string;
  readonly projectId?: string;
}

export interface VaultGcpKeySourceOptions {
  /** Mount path of the GCP secrets engine. Default `gcp`. */
  mount?: string;
  /** Only rolesets and static accounts issue keys (vault-api.md §4). */
  kind: 'roleset' | 'static-account';
  name: string;
  /** Lease TTL to ask for; default the engine's. */
  ttlSeconds?: number;
}

/** `data` of `gcp/<kind>/<name>/key` (GCPP secrets_service_account_key.go). */
interface VaultGcpKeyData {
  readonly private_key_data?: string;
  readonly key_type?: string;
}

/** The JSON credentials file inside `private_key_data`. */
interface CredentialsFile {
  readonly type?: string;
  readonly client_email?: string;
  readonly private_key?: string;
  readonly private_key_id?: string;
  readonly project_id?: string;
}

/**
 * Service-account keys from Vault's GCP secrets engine: `POST <mount>/<kind>/<name>/key`. The key
 * comes with a renewable lease (revoking it deletes the key in GCP), so the broker renews it in
 * place and revokes it on shutdown when told to. The key never leaves the agent: access and ID
 * tokens are made from it by `KeyAccessTokenSource` and `KeyIdTokenSource`.
 */
export class VaultGcpKeySource implements CredentialSource<ServiceAccountKey> {
  readonly id: string;
  /** A key is created by a write (POST). */
  readonly vaultAccess: VaultAccess;
  private readonly path: string;

  constructor(
    private readonly session: VaultSession,
    private readonly options: VaultGcpKeySourceOptions,
    private readonly clock: Clock,
  ) {
    const mount = (options.mount ?? 'gcp').replace(/^\/+|\/+$/g, '');
    this.path = `${mount}/${options.kind}/${options.name}/key`;
    this.id = `vault-gcp:${this.path}`;
    this.vaultAccess = { path: this.path, capability: 'update' };
  }

  async issue(): Promise<Issued<ServiceAccountKey>> {
    const requestedAt = this.clock.now();
    const body = this.options.ttlSeconds === undefined ? {} : { ttl: this.options.ttlSeconds };
    const response = await this.session.write<VaultGcpKeyData>(this.path, body);
    const lease = leaseOf(response);
    if (!lease || lease.durationSeconds <= 0) {
      throw new Error(`vault ${this.path}: the key came without a lease`);
    }
    // Vault deletes the key when the token that created its lease expires (vault-api.md §10 #3).
    return bindLeaseToToken(this.session, {
      value: this.parseKey(response.data ?? {}),
      issuedAt: requestedAt,
      expiresAt: requestedAt + lease.durationSeconds * 1000,
      lease,
    });
  }

  renew(current: Issued<ServiceAccountKey>): Promise<Issued<ServiceAccountKey>> {
    return renewLeased(this.session, this.clock, this.id, current);
  }

  revoke(current: Issued<ServiceAccountKey>): Promise<void> {
    return revokeLeased(this.session, current);
  }

  private parseKey(data: VaultGcpKeyData): ServiceAccountKey {
    if (data.key_type !== undefined && data.key_type !== 'TYPE_GOOGLE_CREDENTIALS_FILE') {
      throw new Error(`vault ${this.path}: key_type ${data.key_type} is not a credentials file`);
    }
    let file: CredentialsFile;
    try {
      file = JSON.parse(
        Buffer.from(data.private_key_data ?? '', 'base64').toString('utf8'),
      ) as CredentialsFile;
    } catch {
      throw new Error(`vault ${this.path}: private_key_data is not a base64 JSON credentials file`);
    }
    const { client_email, private_key, private_key_id, project_id } = file;
    if (file.type !== 'service_account' || !client_email || !private_key || !private_key_id) {
      throw new Error(`vault ${this.path}: private_key_data is not a service-account key`);
    }
    return {
      clientEmail: client_email,
      privateKey: private_key,
      privateKeyId: private_key_id,
      ...(project_id ? { projectId: project_id } : {}),
    };
  }
}
