import type { VaultResponse } from './vault-response.js';

/** What an operator or a health check can learn about the session without seeing any secret. */
export interface VaultSessionStatus {
  /** 'ready' once a token is held and valid; 'degraded' while Vault fails but the token is still valid. */
  readonly state: 'starting' | 'ready' | 'degraded' | 'unauthenticated' | 'closed';
  /** The Vault address currently in use. */
  readonly address: string;
  /** Epoch ms when the current token expires (undefined without a token). */
  readonly tokenExpiresAt?: number;
  /** The token's accessor (not secret: it cannot be used to authenticate). */
  readonly accessor?: string;
  readonly lastError?: string;
  /** Logins (first and re-logins) and successful token renewals since the session started. */
  readonly logins?: number;
  readonly renewals?: number;
}

/**
 * An authenticated conversation with Vault over its HTTP API (node-vault underneath). The session
 * owns the token: it logs in (AppRole, wrapped secret_id, token file), keeps the token renewed,
 * re-authenticates when renewal stops extending it, persists it so a restart needs no new secret_id,
 * and retries transient failures (429, 5xx, 503 sealed, 307 to the active node) with backoff.
 * Credential sources only say which path to read or write.
 */
export interface VaultSession {
  /** Logs in (or adopts a persisted token) and starts keeping the token alive. */
  start(): Promise<void>;
  /** `GET /v1/<path>` with query parameters, authenticated. */
  read<D = Record<string, unknown>>(
    path: string,
    params?: Record<string, string>,
  ): Promise<VaultResponse<D>>;
  /** `POST /v1/<path>` with a JSON body, authenticated. */
  write<D = Record<string, unknown>>(
    path: string,
    body?: Record<string, unknown>,
  ): Promise<VaultResponse<D>>;
  /** `PUT sys/leases/renew`; resolves with the new lease duration. */
  renewLease(leaseId: string, incrementSeconds?: number): Promise<VaultResponse<never>>;
  /** `PUT sys/leases/revoke`. */
  revokeLease(leaseId: string): Promise<void>;
  status(): VaultSessionStatus;
  /** Stops timers; revokes the token only when configured to (a kept token survives a restart). */
  close(): Promise<void>;
}
