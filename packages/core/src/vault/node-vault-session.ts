import { inject, injectable } from 'tsyringe';
import type { Clock } from '../clock/clock.js';
import type { Logger } from '../log/logger.js';
import { TOKENS } from '../tokens.js';
import { AppRoleAuth } from './auth/approle-auth.js';
import type { AuthMethod } from './auth/auth-method.js';
import { TokenFileAuth } from './auth/token-file-auth.js';
import { VaultRequestError } from './errors.js';
import { DEFAULT_RETRY, RetryPolicy } from '../retry/retry-policy.js';
import { TokenLifecycle } from './token-lifecycle.js';
import { FileTokenStore } from './token-store.js';
import type { VaultCall } from './vault-client.js';
import { VaultClient } from './vault-client.js';
import type { VaultResponse } from './vault-response.js';
import type { VaultSession, VaultSessionStatus } from './vault-session.js';
import type { VaultAuthConfig, VaultSessionConfig } from './vault-session-config.js';
import { DEFAULT_RENEW } from './vault-session-config.js';

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The VaultSession of guise, over node-vault. Composes the client (addresses, retries), the auth
 * method, the token store and the token lifecycle from one VaultSessionConfig.
 *
 * A 403 on a data call gets one re-login and one retry when Vault confirms the token itself is no
 * longer valid (revoked); a second 403, or one with a valid token, is a real permission error.
 */
@injectable()
export class NodeVaultSession implements VaultSession {
  private readonly client: VaultClient;
  private readonly lifecycle: TokenLifecycle;

  constructor(
    @inject(TOKENS.VaultSessionConfig) private readonly config: VaultSessionConfig,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    const log = logger.child({ component: 'vault' });
    this.client = new VaultClient(
      {
        addresses: config.addresses,
        namespace: config.namespace,
        caFile: config.caFile,
        requestTimeoutMs: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      },
      new RetryPolicy({ ...DEFAULT_RETRY, ...config.retry }),
      clock,
      log,
    );
    this.lifecycle = new TokenLifecycle({
      client: this.client,
      auth: authMethodFor(config.auth, log),
      // A token file already is the kept token; a second copy would only go stale.
      ...(config.tokenStorePath === undefined || config.auth.method === 'tokenFile'
        ? {}
        : { store: new FileTokenStore(config.tokenStorePath) }),
      clock,
      log,
      renew: { ...DEFAULT_RENEW, ...config.renew },
    });
  }

  start(): Promise<void> {
    return this.lifecycle.start();
  }

  read<D = Record<string, unknown>>(
    path: string,
    params?: Record<string, string>,
  ): Promise<VaultResponse<D>> {
    return this.authenticated<D>({
      method: 'GET',
      path,
      ...(params === undefined ? {} : { query: params }),
    });
  }

  write<D = Record<string, unknown>>(
    path: string,
    body: Record<string, unknown> = {},
  ): Promise<VaultResponse<D>> {
    return this.authenticated<D>({ method: 'POST', path, body });
  }

  renewLease(leaseId: string, incrementSeconds?: number): Promise<VaultResponse<never>> {
    return this.authenticated<never>({
      method: 'PUT',
      path: 'sys/leases/renew',
      body:
        incrementSeconds === undefined
          ? { lease_id: leaseId }
          : { lease_id: leaseId, increment: incrementSeconds },
    });
  }

  async revokeLease(leaseId: string): Promise<void> {
    await this.authenticated({
      method: 'PUT',
      path: 'sys/leases/revoke',
      body: { lease_id: leaseId },
    });
  }

  status(): VaultSessionStatus {
    return this.lifecycle.status();
  }

  close(): Promise<void> {
    return this.lifecycle.close(this.config.revokeTokenOnClose ?? false);
  }

  private async authenticated<D>(call: Omit<VaultCall, 'token'>): Promise<VaultResponse<D>> {
    const token = await this.lifecycle.token();
    try {
      return await this.client.call<D>({ ...call, token });
    } catch (error) {
      if (!(error instanceof VaultRequestError && error.status === 403)) throw error;
      const replacement = await this.lifecycle.replaceRejected(token);
      if (replacement === undefined) throw error;
      return this.client.call<D>({ ...call, token: replacement });
    }
  }
}

function authMethodFor(config: VaultAuthConfig, log: Logger): AuthMethod {
  switch (config.method) {
    case 'approle':
      return new AppRoleAuth(config, log);
    case 'tokenFile':
      return new TokenFileAuth(config.path);
  }
}
