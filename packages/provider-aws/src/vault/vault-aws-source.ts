import type {
  Clock,
  CredentialSource,
  Issued,
  Logger,
  VaultAccess,
  VaultResponse,
  VaultSession,
} from '@guise/core';
import {
  VaultRequestError,
  bindLeaseToToken,
  leaseOf,
  renewLeased,
  revokeLeased,
  silentLogger,
} from '@guise/core';
import type { AwsCredentials } from '../aws-credentials.js';

export interface VaultAwsSourceOptions {
  /** Mount path of the AWS secrets engine. Default `aws`. */
  mount?: string;
  /** The Vault role (`aws/roles/<role>`). */
  role: string;
  /**
   * `sts`: `POST <mount>/sts/<role>` — assumed_role, federation_token, session_token.
   * `creds`: `GET <mount>/creds/<role>` — iam_user, and the STS types too (vault-api.md §3.3).
   */
  endpoint: 'sts' | 'creds';
  /**
   * Lifetime to ask for. Default on `sts`: 3600, because an assumed role is capped at one hour
   * whenever Vault's own AWS credentials are temporary (role chaining, vault-api.md §10 #2);
   * default on `creds`: not sent, so iam_user leases follow the engine's `config/lease`.
   */
  ttlSeconds?: number;
  /** `role_arn`, when the Vault role allows several. */
  roleArn?: string;
  /** `role_session_name` (Vault truncates past 64 characters). */
  roleSessionName?: string;
  /**
   * How long a new IAM user key (`iam_user`) is held back before it is served. IAM is eventually
   * consistent: a fresh key gets `InvalidClientTokenId` for seconds, and AWS documents no bound
   * (vault-api.md §10 #1; Vault's docs suggest waiting 5–10 s). Default 10. STS credentials are
   * usable at once and never held back.
   */
  propagationDelaySeconds?: number;
}

/** `data` of `aws/creds` and `aws/sts` (vault-api.md §3.3). */
interface VaultAwsData {
  readonly access_key?: string;
  readonly secret_key?: string;
  /** Vault ≥ 1.16 says `session_token`; older versions `security_token`; null for iam_user. */
  readonly session_token?: string | null;
  readonly security_token?: string | null;
  readonly arn?: string;
  /** Present only for STS roles with `no_lease`: the credential's lifetime in seconds. */
  readonly ttl?: number | string;
}

/** Longest session an assumed role may have when role chaining applies. */
const ROLE_CHAINING_MAX_SECONDS = 3600;
const DEFAULT_PROPAGATION_DELAY_SECONDS = 10;

/**
 * AWS credentials from Vault's AWS secrets engine. Expiry is taken from what Vault granted —
 * `lease_duration`, or `ttl` for `no_lease` roles — counted from when the request was sent, never
 * from what was asked for (Vault caps TTLs silently). Renewable leases (iam_user) are renewed in
 * place; STS leases are not renewable, so the broker re-issues them (vault-api.md §10 #6).
 * IAM-user keys are deleted when their lease is revoked, which happens when the Vault token that
 * created them expires: their expiry is bound to that token's (core `bindLeaseToToken`). A new one
 * is usable only once IAM has propagated it: `usableFrom` tells the broker to hold it back until
 * then and keep serving the key it replaces.
 */
export class VaultAwsSource implements CredentialSource<AwsCredentials> {
  readonly id: string;
  /** What `issue` asks Vault for: see `request` for why `sts` is written and `creds` read. */
  readonly vaultAccess: VaultAccess;
  private readonly path: string;
  /** Set once Vault has refused a longer session because of role chaining; later asks stay under it. */
  private ttlCap?: number;

  constructor(
    private readonly session: VaultSession,
    private readonly options: VaultAwsSourceOptions,
    private readonly clock: Clock,
    private readonly logger: Logger = silentLogger,
  ) {
    const mount = (options.mount ?? 'aws').replace(/^\/+|\/+$/g, '');
    this.path = `${mount}/${options.endpoint}/${options.role}`;
    this.id = `vault-aws:${this.path}`;
    this.vaultAccess = {
      path: this.path,
      capability: options.endpoint === 'sts' ? 'update' : 'read',
    };
  }

  async issue(): Promise<Issued<AwsCredentials>> {
    const ttl = this.requestedTtl();
    try {
      return await this.request(ttl);
    } catch (error) {
      if (ttl === undefined || ttl <= ROLE_CHAINING_MAX_SECONDS || !isRoleChainingRefusal(error))
        throw error;
      // vault-api.md §10 #2: Vault's own credentials are temporary, so AWS caps the assumed
      // role at one hour. Serving one-hour credentials beats serving none.
      this.logger.warn(
        'AWS refused the requested session length (role chaining); asking for one hour',
        {
          path: this.path,
          requestedTtl: ttl,
        },
      );
      this.ttlCap = ROLE_CHAINING_MAX_SECONDS;
      return this.request(ROLE_CHAINING_MAX_SECONDS);
    }
  }

  renew(current: Issued<AwsCredentials>): Promise<Issued<AwsCredentials>> {
    return renewLeased(this.session, this.clock, this.id, current);
  }

  revoke(current: Issued<AwsCredentials>): Promise<void> {
    return revokeLeased(this.session, current);
  }

  private requestedTtl(): number | undefined {
    const ttl =
      this.options.ttlSeconds ??
      (this.options.endpoint === 'sts' ? ROLE_CHAINING_MAX_SECONDS : undefined);
    return ttl === undefined || this.ttlCap === undefined ? ttl : Math.min(ttl, this.ttlCap);
  }

  /**
   * `sts` is written (POST, parameters in the JSON body: Vault ignores query parameters on POST);
   * `creds` is read (GET, parameters in the query string), vault-api.md §1.2, §3.3.
   */
  private async request(ttl: number | undefined): Promise<Issued<AwsCredentials>> {
    const { roleArn, roleSessionName } = this.options;
    const params: Record<string, string> = {};
    if (ttl !== undefined) params.ttl = String(ttl); // a bare number is seconds to Vault
    if (roleArn !== undefined) params.role_arn = roleArn;
    if (roleSessionName !== undefined) params.role_session_name = roleSessionName;
    const requestedAt = this.clock.now();
    const response =
      this.vaultAccess.capability === 'update'
        ? await this.session.write<VaultAwsData>(this.path, params)
        : await this.session.read<VaultAwsData>(this.path, params);
    return this.toIssued(response, requestedAt);
  }

  private toIssued(
    response: VaultResponse<VaultAwsData>,
    requestedAt: number,
  ): Issued<AwsCredentials> {
    const data = response.data ?? {};
    const { access_key: accessKeyId, secret_key: secretAccessKey } = data;
    if (!accessKeyId || !secretAccessKey)
      throw new Error(`vault ${this.path}: response has no access_key/secret_key`);
    const seconds = response.lease_duration > 0 ? response.lease_duration : Number(data.ttl);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new Error(`vault ${this.path}: response has neither a lease_duration nor a ttl`);
    }
    const sessionToken = data.session_token ?? data.security_token ?? undefined;
    const accountId = data.arn === undefined ? undefined : accountOf(data.arn);
    const lease = leaseOf(response);
    // A long-term key (no session token) is a new IAM user that IAM has yet to propagate.
    const propagationMs =
      (this.options.propagationDelaySeconds ?? DEFAULT_PROPAGATION_DELAY_SECONDS) * 1000;
    const issued: Issued<AwsCredentials> = {
      value: {
        accessKeyId,
        secretAccessKey,
        ...(sessionToken ? { sessionToken } : {}),
        ...(accountId ? { accountId } : {}),
      },
      issuedAt: requestedAt,
      expiresAt: requestedAt + seconds * 1000,
      ...(lease ? { lease } : {}),
      ...(!sessionToken && propagationMs > 0 ? { usableFrom: requestedAt + propagationMs } : {}),
    };
    // Only a renewable lease (iam_user) takes the keys with it when revoked (vault-api.md §3.3).
    return lease?.renewable ? bindLeaseToToken(this.session, issued) : issued;
  }
}

/** The account of `arn:aws:sts::123456789012:assumed-role/Role/session` (any partition). */
function accountOf(arn: string): string | undefined {
  return /^arn:[\w-]+:(?:sts|iam)::(\d{12}):/.exec(arn)?.[1];
}

/** AWS's "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining." */
function isRoleChainingRefusal(error: unknown): boolean {
  return (
    error instanceof VaultRequestError &&
    error.status === 400 &&
    error.errors.some((message) => message.includes('DurationSeconds exceeds'))
  );
}
