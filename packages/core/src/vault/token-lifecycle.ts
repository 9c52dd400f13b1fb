import type { Clock } from '../clock/clock.js';
import { describe } from '../credentials/errors.js';
import type { Logger } from '../log/logger.js';
import type { AuthMethod } from './auth/auth-method.js';
import { VaultRequestError, VaultUnreachableError } from './errors.js';
import { RetryPolicy } from '../retry/retry-policy.js';
import { lookupSelf } from './token-lookup.js';
import type { TokenStore } from './token-store.js';
import type { VaultClient } from './vault-client.js';
import type { RenewSettings } from './vault-session-config.js';
import type { VaultAuth } from './vault-response.js';
import type { VaultSessionStatus } from './vault-session.js';

/** The token in use and what Vault last said about it. */
interface HeldToken {
  readonly token: string;
  readonly accessor: string;
  /** Epoch ms; undefined for a token that never expires (a root token in a dev setup). */
  readonly expiresAt: number | undefined;
  readonly renewable: boolean;
  /** TTL granted by the last login, renewal or lookup, in seconds. */
  readonly ttlSeconds: number;
}

export interface TokenLifecycleOptions {
  readonly client: VaultClient;
  readonly auth: AuthMethod;
  readonly store?: TokenStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly renew: RenewSettings;
  readonly random?: () => number;
}

/** Renewal/login retries in the background: slower than per-call retries, never given up. */
const BACKGROUND_RETRY = new RetryPolicy({
  maxAttempts: Infinity,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
});
/** No timer closer than this, however short the TTL: a dying token must not spin the loop. */
const MIN_DELAY_MS = 1_000;
/** A renewal that moves the expiry by less than this has stopped extending the token. */
const MIN_GROWTH_MS = 1_000;
/** renew-self's warning when the max TTL caps the new TTL (reference/vault-api.md §2.4, §10 #4). */
const MAX_TTL_WARNING = /exceeded the effective max_ttl/i;

/**
 * Keeps one Vault token alive: obtains it (adopting a persisted one when Vault confirms it is still
 * valid, else logging in), renews it at a jittered share of its TTL, and logs in again when renewal
 * stops extending it — the max-TTL warning, an expiry that no longer moves, or a refusal such as
 * `past the max TTL, cannot renew` or 403 (§2.4, §10 #4). Leases die with the token that created
 * them (§10 #3), so the token is replaced while it is still valid, never left to expire.
 *
 * Failures never escape a timer: they are logged once per state change and retried with backoff;
 * while the old token is still valid the state is `degraded`, after its expiry `unauthenticated`.
 */
export class TokenLifecycle {
  private held: HeldToken | undefined;
  /** A token that cannot be renewed any further: it is replaced instead. */
  private exhausted: string | undefined;
  private inflight: Promise<HeldToken> | undefined;
  private rejection:
    { readonly token: string; readonly result: Promise<string | undefined> } | undefined;
  private cancelTimer: (() => void) | undefined;
  private state: VaultSessionStatus['state'] = 'starting';
  private lastError: string | undefined;
  /** Consecutive failed background attempts (renewal or login); drives backoff and log lines. */
  private failures = 0;
  private logins = 0;
  private renewals = 0;
  /** The persisted token is considered once, on the first authentication. */
  private storeConsulted = false;
  private closed = false;
  private readonly client: VaultClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly random: () => number;

  constructor(private readonly options: TokenLifecycleOptions) {
    this.client = options.client;
    this.clock = options.clock;
    this.log = options.log;
    this.random = options.random ?? Math.random;
  }

  /** Obtains a token and starts keeping it alive. Rejects if none can be had now (retried later). */
  async start(): Promise<void> {
    await this.token();
  }

  /** A token fit to use now: the held one, or one obtained for the caller. */
  async token(): Promise<string> {
    if (this.closed) throw new Error('vault session is closed');
    const held = this.held;
    if (held && !this.expired(held)) return held.token;
    return (await this.authenticate(held ? 'token expired' : undefined)).token;
  }

  /**
   * A data call was refused with 403 while using `token`. If Vault no longer knows the token
   * (revoked, expired early), obtains a new one and returns it for one retry. If the token is
   * fine, the 403 is a genuine permission error: returns undefined. Checking first keeps a missing
   * policy from turning every read into a login that spends secret_id uses and piles up tokens.
   */
  async replaceRejected(token: string): Promise<string | undefined> {
    if (this.held !== undefined && this.held.token !== token) return this.token();
    // Concurrent 403s for the same token share one check (and at most one login).
    if (this.rejection?.token !== token) {
      const result = this.checkRejected(token).finally(() => {
        if (this.rejection?.result === result) this.rejection = undefined;
      });
      this.rejection = { token, result };
    }
    return this.rejection.result;
  }

  private async checkRejected(token: string): Promise<string | undefined> {
    try {
      await lookupSelf(this.client, token);
      return undefined;
    } catch (error) {
      if (!(error instanceof VaultRequestError && error.status === 403)) return undefined;
    }
    this.exhausted = token;
    return (await this.authenticate('token rejected by Vault (403)')).token;
  }

  status(): VaultSessionStatus {
    const held = this.held;
    const live = this.state === 'ready' || this.state === 'degraded';
    return {
      state: live && held && this.expired(held) ? 'unauthenticated' : this.state,
      address: this.client.address,
      ...(held?.expiresAt === undefined ? {} : { tokenExpiresAt: held.expiresAt }),
      ...(held ? { accessor: held.accessor } : {}),
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      logins: this.logins,
      renewals: this.renewals,
    };
  }

  /** Stops all timers; with `revoke`, revokes the token and forgets the persisted copy. */
  async close(revoke: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.state = 'closed';
    const held = this.held;
    if (!revoke || !held) return;
    try {
      await this.client.call({ method: 'POST', path: 'auth/token/revoke-self', token: held.token });
      await this.options.store?.clear();
      this.log.info('vault token revoked', { accessor: held.accessor });
    } catch (error) {
      this.log.warn('could not revoke the vault token', {
        accessor: held.accessor,
        error: describe(error),
      });
    }
  }

  /** Single-flight: concurrent callers share one login. */
  private authenticate(reason: string | undefined): Promise<HeldToken> {
    this.inflight ??= this.obtain(reason).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async obtain(reason: string | undefined): Promise<HeldToken> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    try {
      const held = (await this.adoptPersisted()) ?? (await this.login(reason));
      if (this.failures > 0) this.log.info('vault login recovered', { failures: this.failures });
      this.failures = 0;
      this.lastError = undefined;
      this.held = held;
      if (!this.closed) this.state = 'ready';
      this.schedule(held);
      return held;
    } catch (error) {
      this.onFailure('login', error);
      throw error;
    }
  }

  private async adoptPersisted(): Promise<HeldToken | undefined> {
    const store = this.options.store;
    if (!store || this.storeConsulted) return undefined;
    this.storeConsulted = true;
    let kept;
    try {
      kept = await store.load();
    } catch (error) {
      this.log.warn('could not read the persisted vault token; logging in', {
        error: describe(error),
      });
      return undefined;
    }
    if (!kept) return undefined;
    const accessor = kept.accessor;
    if (kept.authMethod !== this.options.auth.name) {
      this.log.info('persisted vault token came from another auth method; logging in', {
        accessor,
      });
      return undefined;
    }
    if (kept.expiresAt !== undefined && kept.expiresAt <= this.clock.now()) {
      this.log.info('persisted vault token has expired; logging in', { accessor });
      return undefined;
    }
    let auth: VaultAuth;
    try {
      auth = await lookupSelf(this.client, kept.token);
    } catch (error) {
      if (error instanceof VaultRequestError && error.status === 403) {
        this.log.info('persisted vault token is no longer valid; logging in', { accessor });
        return undefined;
      }
      // Vault could not say: try the kept token again next time rather than spend a secret_id.
      this.storeConsulted = false;
      throw error;
    }
    const held = this.toHeld(auth);
    this.log.info('vault token adopted from disk', {
      accessor,
      ttlSeconds: held.ttlSeconds,
      address: this.client.address,
    });
    return held;
  }

  private async login(reason: string | undefined): Promise<HeldToken> {
    const previous = this.held;
    const held = this.toHeld(await this.options.auth.login(this.client));
    if (held.token === previous?.token) {
      // A token file whose writer has not replaced the token yet: keep it, look again later.
      this.log.debug('vault token source still holds the same token', {
        accessor: held.accessor,
        reason,
      });
      return held;
    }
    this.logins += 1;
    await this.persist(held);
    this.log.info(previous === undefined ? 'vault login succeeded' : 'vault re-login succeeded', {
      method: this.options.auth.name,
      accessor: held.accessor,
      ttlSeconds: held.ttlSeconds,
      renewable: held.renewable,
      address: this.client.address,
      ...(previous === undefined ? {} : { reason, previousAccessor: previous.accessor }),
    });
    return held;
  }

  private async persist(held: HeldToken): Promise<void> {
    const store = this.options.store;
    if (!store) return;
    try {
      await store.save({
        token: held.token,
        accessor: held.accessor,
        authMethod: this.options.auth.name,
        ...(held.expiresAt === undefined ? {} : { expiresAt: held.expiresAt }),
      });
    } catch (error) {
      this.log.warn('could not persist the vault token; a restart will log in again', {
        error: describe(error),
      });
    }
  }

  /** Next step for `held`: renew it at a jittered share of its TTL, or replace it then. */
  private schedule(held: HeldToken): void {
    if (held.expiresAt === undefined) return;
    const { fraction, jitter } = this.options.renew;
    const delay = held.ttlSeconds * 1000 * fraction * (1 - jitter * this.random());
    if (held.renewable && held.token !== this.exhausted) {
      this.at(delay, () => this.renew(held));
    } else {
      const reason = held.renewable ? 'token is at its max TTL' : 'token is not renewable';
      this.at(delay, () => this.relogin(reason));
    }
  }

  private async renew(held: HeldToken): Promise<void> {
    if (this.expired(held)) return this.relogin('token expired before it could be renewed');
    const increment = this.options.renew.incrementSeconds;
    let auth: VaultAuth | null;
    let warnings: string[];
    try {
      const answer = await this.client.call({
        method: 'POST',
        path: 'auth/token/renew-self',
        token: held.token,
        body: increment === undefined ? {} : { increment },
      });
      auth = answer.auth;
      warnings = answer.warnings ?? [];
    } catch (error) {
      if (this.held !== held) return; // replaced meanwhile (a 403 on a data call re-logged in)
      if (isTransient(error)) return this.onFailure('renewal', error);
      // 403, `past the max TTL, cannot renew`, `lease is not renewable`: it cannot be kept.
      this.exhausted = held.token;
      return this.relogin(`renewal refused: ${describe(error)}`);
    }
    if (this.held !== held) return;
    if (!auth) {
      this.exhausted = held.token;
      return this.relogin('renewal answered without an auth block');
    }
    const renewed = this.toHeld({ ...auth, client_token: held.token });
    if (this.failures > 0) {
      this.log.info('vault token renewal recovered', {
        accessor: renewed.accessor,
        failures: this.failures,
      });
    }
    this.failures = 0;
    this.lastError = undefined;
    this.state = 'ready';
    this.held = renewed;
    this.renewals += 1;
    const capped = warnings.some((w) => MAX_TTL_WARNING.test(w));
    const grewMs = (renewed.expiresAt ?? Infinity) - (held.expiresAt ?? Infinity);
    if (capped || !(grewMs >= MIN_GROWTH_MS)) {
      this.exhausted = held.token;
      return this.relogin(
        capped ? 'token reached its max TTL' : 'renewal no longer extends the token',
      );
    }
    this.log.debug('vault token renewed', {
      accessor: renewed.accessor,
      ttlSeconds: renewed.ttlSeconds,
    });
    this.schedule(renewed);
  }

  private async relogin(reason: string): Promise<void> {
    try {
      await this.authenticate(reason);
    } catch {
      // logged and rescheduled by obtain()
    }
  }

  private onFailure(what: 'renewal' | 'login', error: unknown): void {
    this.failures += 1;
    this.lastError = describe(error);
    const held = this.held;
    const valid = held !== undefined && !this.expired(held);
    const state = valid ? 'degraded' : 'unauthenticated';
    let delay = Math.max(MIN_DELAY_MS, BACKGROUND_RETRY.delayMs(this.failures));
    // Retry well before a still-valid token runs out.
    if (valid && held.expiresAt !== undefined) {
      delay = Math.min(delay, Math.max(MIN_DELAY_MS, (held.expiresAt - this.clock.now()) / 2));
    }
    if (this.failures === 1 || state !== this.state) {
      // The line names the state entered: a renewal that failed past the token's expiry means
      // the token is gone, and what is retried from now on is a login.
      const message =
        state === 'degraded'
          ? what === 'renewal'
            ? 'vault token renewal failing'
            : 'vault login failing'
          : held === undefined || what === 'login'
            ? 'vault login failing'
            : 'vault token expired while renewal was failing; logging in again';
      this.log.warn(message, {
        error: this.lastError,
        retryInSeconds: Math.round(delay / 1000),
        ...(held?.expiresAt === undefined
          ? {}
          : { tokenExpiresAt: new Date(held.expiresAt).toISOString() }),
      });
    }
    if (!this.closed) this.state = state;
    if (what === 'renewal' && valid) this.at(delay, () => this.renew(held));
    else this.at(delay, () => this.relogin(`retrying after: ${this.lastError}`));
  }

  private at(delayMs: number, task: () => Promise<void>): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.closed) return;
    this.cancelTimer = this.clock.schedule(
      () => {
        this.cancelTimer = undefined;
        task().catch((error: unknown) => {
          this.log.error('vault token upkeep failed unexpectedly', { error: describe(error) });
        });
      },
      Math.max(MIN_DELAY_MS, delayMs),
    );
  }

  private toHeld(auth: VaultAuth): HeldToken {
    const ttl = auth.lease_duration;
    return {
      token: auth.client_token,
      accessor: auth.accessor,
      renewable: auth.renewable,
      ttlSeconds: ttl,
      expiresAt: ttl > 0 ? this.clock.now() + ttl * 1000 : undefined,
    };
  }

  private expired(held: HeldToken): boolean {
    return held.expiresAt !== undefined && this.clock.now() >= held.expiresAt;
  }
}

function isTransient(error: unknown): boolean {
  return (
    error instanceof VaultUnreachableError ||
    (error instanceof VaultRequestError && error.transient)
  );
}
