import { inject, injectable } from 'tsyringe';
import type { Clock } from '../clock/clock.js';
import type { Logger } from '../log/logger.js';
import { RetryPolicy } from '../retry/retry-policy.js';
import { TOKENS } from '../tokens.js';
import type { CredentialSource } from './credential-source.js';
import { CredentialUnavailableError, describe } from './errors.js';
import type { FreshnessPolicy } from './freshness-policy.js';
import { servingFloorMs } from './freshness-policy.js';
import type { Issued } from './issued.js';
import { leaseEndOf, lifetimeMs } from './issued.js';

/** Per-call overrides: a dialect whose clients refresh earlier or later than the default says so. */
export interface ServeOptions {
  readonly minRemainingMs?: number;
}

/**
 * What happened to one credential, for metrics: `issued` is a first credential, `refreshed` a
 * replacement issued anew, `renewed` a lease extended in place, `failed` an attempt that failed.
 */
export interface BrokerEvent {
  readonly source: string;
  readonly outcome: 'issued' | 'refreshed' | 'renewed' | 'failed';
  /** How long the backend took. */
  readonly durationMs: number;
}

export type BrokerListener = (event: BrokerEvent) => void;

/** One cached credential as `CredentialBroker.snapshot()` shows it (times in epoch ms). */
export interface CachedCredential {
  /** The source's id, `#key` appended for a keyed request. */
  readonly label: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Until when clients are served it; past this they get their dialect's retryable error. */
  readonly usableUntil: number;
  /** Whether the last backend attempt for it succeeded. */
  readonly healthy: boolean;
}

/** What the broker keeps for one (source, request key). */
interface Slot<T, R> {
  readonly source: CredentialSource<T, R>;
  readonly request: R;
  /** The source's `keyOf(request)`, `''` for a source without keys. */
  readonly key: string;
  /** `id#key` (or the id alone), for logs and errors. */
  readonly label: string;
  current?: Issued<T>;
  inflight?: Promise<Issued<T>>;
  /** The attempt in flight has kept a client waiting `clientWaitMs` already: others do not wait. */
  overdue: boolean;
  /** A replacement the cloud does not accept yet (`Issued.usableFrom`), served from then on. */
  upcoming?: Upcoming<T>;
  cancelTimer?: () => void;
  /** Consecutive failed refreshes; 0 while healthy. Drives backoff. */
  failures: number;
  /** While failing: the last error and when the backoff allows the next backend call. */
  lastError?: unknown;
  retryAt: number;
  /** Pinned slots are refreshed ahead of expiry whether or not anyone asked since the last attempt. */
  pinned: boolean;
  /** Requests so far, and their number when the last backend attempt started: equal means idle. */
  asks: number;
  asksAtAttempt: number;
  minRemainingMs: number | undefined;
}

interface Upcoming<T> {
  readonly issued: Issued<T>;
  /** Settles once it is served (or the broker shuts down first). */
  readonly promoted: Promise<Issued<T>>;
  promote(): void;
}

/**
 * The one place that decides *when* to go to the backend. Per (source, key) it keeps the current
 * credential and:
 * - serves it while it has more than the serving floor left (see FreshnessPolicy);
 * - collapses concurrent cold requests into one backend call (single-flight);
 * - replaces it ahead of the floor, at a jittered time, renewing a renewable lease in place
 *   before falling back to a fresh issue;
 * - keeps serving it while the backend fails, until it is within `outageMarginMs` of expiry,
 *   retrying with capped exponential backoff and full jitter meanwhile; a backend that is merely
 *   slow to answer a due replacement keeps a client no longer than `clientWaitMs`;
 * - forgets unpinned credentials nobody asked for during their lifetime, so request-shaped keys
 *   (audiences, scopes) cannot grow without bound.
 */
@injectable()
export class CredentialBroker {
  /**
   * Slots by source id, then by request key: two lookups of strings the request already holds,
   * rather than building and hashing `id#key` anew on every request.
   */
  private readonly slots = new Map<string, Map<string, Slot<unknown, unknown>>>();
  /**
   * Ids of the sources whose last attempt failed, for "one log line per state change": kept apart
   * from the slots, because a slot nobody asks for is dropped and a new one made on the next ask
   * (an Azure principal asked for only when a token is due), and that is no change of state.
   */
  private readonly failingSources = new Set<string>();
  private readonly listeners = new Set<BrokerListener>();
  private closed = false;
  private readonly log: Logger;
  private readonly backoff: RetryPolicy;

  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.FreshnessPolicy) private readonly policy: FreshnessPolicy,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    this.log = logger.child({ component: 'broker' });
    // Background retries never give up: a source is retried until it works again.
    this.backoff = new RetryPolicy({
      maxAttempts: Infinity,
      baseDelayMs: policy.retryBaseMs,
      maxDelayMs: policy.retryMaxMs,
    });
  }

  /** A credential fit to serve now, from cache when possible. Rejects with CredentialUnavailableError. */
  get<T, R>(
    source: CredentialSource<T, R>,
    request: R,
    options: ServeOptions = {},
  ): Promise<Issued<T>> {
    if (this.closed) {
      return Promise.reject(
        new CredentialUnavailableError(source.id, { cause: new Error('broker is shut down') }),
      );
    }
    const slot = this.slotFor(source, request, options);
    slot.asks += 1;
    const now = this.clock.now();
    // The cached path, which nearly every request takes: answered without an async frame.
    if (slot.current && this.servable(slot, slot.current, now))
      return Promise.resolve(slot.current);
    return this.serveUncached(slot, now);
  }

  private async serveUncached<T, R>(slot: Slot<T, R>, now: number): Promise<Issued<T>> {
    // The replacement is in hand but not accepted yet: nothing to ask the backend for.
    if (slot.upcoming) {
      if (slot.current && this.usableInOutage(slot.current, now)) return slot.current;
      throw notYetUsable(slot.label, slot.upcoming.issued);
    }
    // While the source is failing, clients never wait on it: a cached credential still usable
    // in an outage is served at once, otherwise the error. Waiting would mean sitting through the
    // backend's own retries (botocore gives IMDS one second) to get the same answer. The retry
    // timer keeps calling the source; a client asking after the backoff also starts an attempt.
    if (slot.failures > 0) {
      if (now >= slot.retryAt && !slot.inflight) this.refresh(slot).catch(() => undefined);
      if (slot.current && this.usableInOutage(slot.current, now)) return slot.current;
      throw new CredentialUnavailableError(slot.label, { cause: slot.lastError });
    }
    const refreshing = this.refresh(slot);
    try {
      const cached = slot.current;
      if (!cached || !this.usableInOutage(cached, now)) return await refreshing;
      if (slot.overdue) return cached;
      const refreshed = await withinRealTime(refreshing, this.policy.clientWaitMs);
      if (refreshed) return refreshed;
      slot.overdue = slot.inflight !== undefined;
      return cached;
    } catch (error) {
      const cached = slot.current;
      if (cached && this.usableInOutage(cached, this.clock.now())) return cached;
      if (error instanceof CredentialUnavailableError && error.sourceId === slot.label) throw error;
      throw new CredentialUnavailableError(slot.label, { cause: error });
    }
  }

  /**
   * Fetches now and keeps the credential fresh from then on, whether or not clients ask: for the
   * roles an agent is configured with, so the first client request is a cache hit and an outage
   * that starts before any request still finds a credential to serve.
   */
  async warm<T, R>(
    source: CredentialSource<T, R>,
    request: R,
    options: ServeOptions = {},
  ): Promise<Issued<T>> {
    const slot = this.slotFor(source, request, options);
    slot.pinned = true;
    try {
      return await this.get(source, request, options);
    } catch (error) {
      // Not a client: a credential that is accepted in seconds is worth waiting for.
      if (!slot.upcoming) throw error;
      return slot.upcoming.promoted;
    }
  }

  /**
   * Calls `listener` after every backend attempt (never on a cache hit, so the request path pays
   * nothing). Returns the function that removes it.
   */
  observe(listener: BrokerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every cached credential, by label: for readiness checks and metrics. */
  snapshot(): CachedCredential[] {
    return this.allSlots().flatMap((s) =>
      s.current
        ? [
            {
              label: s.label,
              issuedAt: s.current.issuedAt,
              expiresAt: s.current.expiresAt,
              // The last moment a client is still given it, the backend failing or not: the
              // outage margin, or the dialect's own floor where that is higher (GCE's 5 minutes).
              usableUntil:
                s.current.expiresAt - Math.max(this.policy.outageMarginMs, s.minRemainingMs ?? 0),
              healthy: s.failures === 0,
            },
          ]
        : [],
    );
  }

  /** Stops all timers and, if the policy says so, revokes leased credentials. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const slots = this.allSlots();
    this.slots.clear();
    for (const slot of slots) {
      slot.cancelTimer?.();
      slot.upcoming?.promote();
    }
    if (!this.policy.revokeOnShutdown) return;
    await Promise.all(slots.map((slot) => this.revoke(slot)));
  }

  private slotFor<T, R>(
    source: CredentialSource<T, R>,
    request: R,
    options: ServeOptions,
  ): Slot<T, R> {
    const key = source.keyOf?.(request) ?? '';
    let bySource = this.slots.get(source.id);
    if (!bySource) {
      bySource = new Map();
      this.slots.set(source.id, bySource);
    }
    let slot = bySource.get(key) as Slot<T, R> | undefined;
    if (!slot) {
      slot = {
        source,
        request,
        key,
        label: key ? `${source.id}#${key}` : source.id,
        failures: 0,
        overdue: false,
        retryAt: 0,
        pinned: false,
        asks: 0,
        asksAtAttempt: 0,
        minRemainingMs: options.minRemainingMs,
      };
      bySource.set(key, slot as Slot<unknown, unknown>);
    }
    return slot;
  }

  private allSlots(): Array<Slot<unknown, unknown>> {
    return [...this.slots.values()].flatMap((bySource) => [...bySource.values()]);
  }

  private servable<T, R>(slot: Slot<T, R>, issued: Issued<T>, now: number): boolean {
    return (
      issued.expiresAt - now > servingFloorMs(this.policy, lifetimeMs(issued), slot.minRemainingMs)
    );
  }

  private usableInOutage(issued: Issued<unknown>, now: number): boolean {
    return issued.expiresAt - now > this.policy.outageMarginMs;
  }

  /** Single-flight: all callers during one backend round trip share its outcome. */
  private refresh<T, R>(slot: Slot<T, R>): Promise<Issued<T>> {
    slot.inflight ??= this.replace(slot).finally(() => {
      slot.inflight = undefined;
      slot.overdue = false;
    });
    return slot.inflight;
  }

  private async replace<T, R>(slot: Slot<T, R>): Promise<Issued<T>> {
    slot.cancelTimer?.();
    slot.cancelTimer = undefined;
    slot.asksAtAttempt = slot.asks;
    const started = performance.now();
    const previous = slot.current;
    let next: Issued<T>;
    try {
      next = expiresInFuture(await this.renewOrIssue(slot), this.clock.now());
    } catch (error) {
      this.emit(slot.label, 'failed', started);
      slot.failures += 1;
      slot.lastError = error;
      if (!this.failingSources.has(slot.source.id)) {
        this.failingSources.add(slot.source.id);
        const fields = { source: slot.label, error: describe(error) };
        if (slot.current) {
          this.log.warn('credential refresh failed; serving cached credential while valid', {
            ...fields,
            cachedExpiresAt: new Date(slot.current.expiresAt).toISOString(),
          });
        } else {
          this.log.warn(
            'credential fetch failed; nothing cached, clients get an error meanwhile',
            fields,
          );
        }
      }
      this.scheduleRetry(slot);
      throw error;
    }
    this.emit(slot.label, outcomeOf(previous, next), started);
    if (this.failingSources.delete(slot.source.id)) {
      this.log.info('credential source recovered', {
        source: slot.label,
        failures: slot.failures,
      });
    }
    slot.failures = 0;
    slot.lastError = undefined;
    const heldFor = (next.usableFrom ?? 0) - this.clock.now();
    if (heldFor > 0) return this.holdBack(slot, next, heldFor);
    slot.current = next;
    this.scheduleRefresh(slot, next);
    return next;
  }

  /**
   * Keeps `next` until the cloud accepts it, serving the credential it replaces meanwhile (the
   * broker refreshes well ahead of the floor, so there is one) or, when there is none, the error.
   */
  private holdBack<T, R>(slot: Slot<T, R>, next: Issued<T>, heldFor: number): Issued<T> {
    let resolve: (issued: Issued<T>) => void = () => undefined;
    const promoted = new Promise<Issued<T>>((settle) => (resolve = settle));
    const promote = () => {
      slot.cancelTimer = undefined;
      slot.upcoming = undefined;
      if (!this.closed) {
        slot.current = next;
        this.scheduleRefresh(slot, next);
      }
      resolve(next);
    };
    slot.upcoming = { issued: next, promoted, promote };
    slot.cancelTimer = this.clock.schedule(promote, heldFor);
    this.log.info('new credential held back until the cloud accepts it', {
      source: slot.label,
      usableFrom: new Date(next.usableFrom ?? 0).toISOString(),
    });
    const cached = slot.current;
    if (cached && this.usableInOutage(cached, this.clock.now())) return cached;
    throw notYetUsable(slot.label, next);
  }

  private emit(source: string, outcome: BrokerEvent['outcome'], started: number): void {
    if (this.listeners.size === 0) return;
    const event = { source, outcome, durationMs: performance.now() - started };
    for (const listener of this.listeners) listener(event);
  }

  /**
   * A renewable lease is extended in place first (same secret, no new IAM user); else re-issue.
   * Lease decisions go by the lease's own end (`leaseEndOf`), serving decisions by `expiresAt`: a
   * credential that dies with the Vault token is cut at the token's current expiry, renewed or
   * issued anew alike, and its lease lives on once the session renews the token.
   */
  private async renewOrIssue<T, R>(slot: Slot<T, R>): Promise<Issued<T>> {
    const { current, source } = slot;
    if (current?.lease?.renewable && source.renew && leaseEndOf(current) > this.clock.now()) {
      try {
        const renewed = await source.renew(current);
        // A renewal that no longer extends the lease (max TTL reached) is worthless.
        if (
          this.servable(slot, renewed, this.clock.now()) &&
          leaseEndOf(renewed) > leaseEndOf(current)
        ) {
          return renewed;
        }
        this.log.info('lease renewal no longer extends the credential; issuing a new one', {
          source: slot.label,
        });
      } catch (error) {
        // Once the source is failing, every retry would say it again: the warning said it once.
        const fields = { source: slot.label, error: describe(error) };
        if (this.failingSources.has(source.id))
          this.log.debug('lease renewal failed; issuing a new credential', fields);
        else this.log.info('lease renewal failed; issuing a new credential', fields);
      }
    }
    return source.issue(slot.request);
  }

  private scheduleRefresh<T, R>(slot: Slot<T, R>, issued: Issued<T>): void {
    if (this.closed) return;
    const lifetime = lifetimeMs(issued);
    const floor = servingFloorMs(this.policy, lifetime, slot.minRemainingMs);
    const lead = lifetime * this.policy.refreshLeadFraction;
    const refreshAt = issued.expiresAt - floor - lead * (1 + Math.random());
    slot.cancelTimer = this.clock.schedule(
      () => this.onRefreshDue(slot),
      refreshAt - this.clock.now(),
    );
  }

  private onRefreshDue<T, R>(slot: Slot<T, R>): void {
    slot.cancelTimer = undefined;
    if (this.closed) return;
    if (slot.pinned || slot.asks > slot.asksAtAttempt) {
      this.refresh(slot).catch(() => undefined); // failure is logged and retried inside replace()
      return;
    }
    // Nobody asked since the last attempt: make no backend call on its behalf. Keep a credential
    // that can still be served or renewed (a client may come back, during an outage or once the
    // Vault token cutting it short is renewed) and forget the slot once it cannot, so
    // request-shaped keys (audiences, scopes) do not accumulate.
    const servableUntil =
      (slot.current ? leaseEndOf(slot.current) : 0) - this.policy.outageMarginMs;
    if (servableUntil > this.clock.now()) {
      slot.cancelTimer = this.clock.schedule(
        () => this.onRefreshDue(slot),
        servableUntil - this.clock.now(),
      );
    } else {
      this.slots.get(slot.source.id)?.delete(slot.key);
    }
  }

  private scheduleRetry<T, R>(slot: Slot<T, R>): void {
    if (this.closed) return;
    const delay = this.backoff.delayMs(slot.failures);
    slot.retryAt = this.clock.now() + delay;
    slot.cancelTimer = this.clock.schedule(() => this.onRefreshDue(slot), delay);
  }

  private async revoke<T, R>(slot: Slot<T, R>): Promise<void> {
    if (!slot.current?.lease || !slot.source.revoke) return;
    try {
      await slot.source.revoke(slot.current);
      this.log.info('revoked credential lease on shutdown', { source: slot.label });
    } catch (error) {
      this.log.warn('could not revoke credential lease on shutdown', {
        source: slot.label,
        error: describe(error),
      });
    }
  }
}

/**
 * `work`'s outcome if it settles within `ms` real milliseconds, else undefined (it goes on, and a
 * later failure is handled where it is retried). Real time whatever the broker's clock: it is a
 * client's patience, and clients time out in real time.
 */
async function withinRealTime<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const patience = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, patience]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `issued`, unless it is dead on arrival (an expiry already past, or none that is a number): a
 * source's mistake — a callback's stale token, a clock far off — that must fail like any other
 * attempt rather than reach a client.
 */
function expiresInFuture<T>(issued: Issued<T>, now: number): Issued<T> {
  if (issued.expiresAt > now) return issued;
  const when = Number.isFinite(issued.expiresAt)
    ? `expired at ${new Date(issued.expiresAt).toISOString()}`
    : `has no valid expiry (${String(issued.expiresAt)})`;
  throw new Error(`the source issued a credential that ${when}`);
}

function notYetUsable(label: string, upcoming: Issued<unknown>): CredentialUnavailableError {
  const from = new Date(upcoming.usableFrom ?? 0).toISOString();
  return new CredentialUnavailableError(label, {
    cause: new Error(`the new credential is accepted from ${from}`),
  });
}

function outcomeOf(
  previous: Issued<unknown> | undefined,
  next: Issued<unknown>,
): BrokerEvent['outcome'] {
  if (previous === undefined) return 'issued';
  const renewed = previous.lease !== undefined && next.lease?.id === previous.lease.id;
  return renewed ? 'renewed' : 'refreshed';
}
