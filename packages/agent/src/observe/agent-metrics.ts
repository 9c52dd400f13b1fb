import type { Clock, CredentialBroker, RequestSample, VaultSession } from '@guise/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { VERSION } from '../util/version.js';

/**
 * The agent's Prometheus metrics, in a registry of its own (several agents may share a process).
 * Only two things happen on the request path: one counter increment per response, and one
 * histogram observation per backend call (never on a cache hit). Everything derived from state —
 * age and time to expiry of each credential, the Vault token, login and renewal counts — is computed when
 * Prometheus scrapes, from `CredentialBroker.snapshot()` and `VaultSession.status()`.
 */
export class AgentMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'dialect' | 'path_class' | 'status'>;
  private readonly unwatch: () => void;

  constructor(broker: CredentialBroker, session: VaultSession | undefined, clock: Clock) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'guise_' });
    new Gauge({
      name: 'guise_build_info',
      help: 'Always 1; labels say which guise and Node.js run',
      labelNames: ['version', 'node'],
      registers,
    }).set({ version: VERSION, node: process.versions.node }, 1);

    this.requests = new Counter({
      name: 'guise_http_requests_total',
      help: 'Metadata requests answered, by dialect, class of path and HTTP status',
      labelNames: ['dialect', 'path_class', 'status'],
      registers,
    });
    const events = new Counter({
      name: 'guise_credential_events_total',
      help: 'Backend attempts per credential source: issued (first), refreshed, renewed, failed',
      labelNames: ['source', 'outcome'],
      registers,
    });
    const latency = new Histogram({
      name: 'guise_credential_backend_seconds',
      help: 'Time the credential backend (Vault) took per attempt, by credential source',
      labelNames: ['source'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.unwatch = broker.observe(({ source, outcome, durationMs }) => {
      events.inc({ source, outcome });
      latency.observe({ source }, durationMs / 1000);
    });

    new Gauge({
      name: 'guise_credential_expiry_seconds',
      help: 'Seconds until each cached credential expires (negative once expired)',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        const now = clock.now();
        for (const { label, expiresAt } of broker.snapshot()) {
          this.set({ source: label }, (expiresAt - now) / 1000);
        }
      },
    });
    new Gauge({
      name: 'guise_credential_age_seconds',
      help: 'Seconds since each cached credential was issued (cache age)',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        const now = clock.now();
        for (const { label, issuedAt } of broker.snapshot()) {
          this.set({ source: label }, (now - issuedAt) / 1000);
        }
      },
    });
    new Gauge({
      name: 'guise_credential_source_healthy',
      help: '1 while the last backend attempt of a credential source succeeded, else 0',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const { label, healthy } of broker.snapshot())
          this.set({ source: label }, healthy ? 1 : 0);
      },
    });
    if (session) this.registerSession(session, clock);
  }

  /** Counts one answered metadata request (the `onResponse` hook of the metadata app). */
  readonly recordRequest = (sample: RequestSample): void => {
    this.requests.inc({
      dialect: sample.dialect,
      path_class: sample.pathClass,
      status: String(sample.status),
    });
  };

  /** Stops listening to the broker. */
  close(): void {
    this.unwatch();
  }

  private registerSession(session: VaultSession, clock: Clock): void {
    const registers = [this.registry];
    new Gauge({
      name: 'guise_vault_token_expiry_seconds',
      help: 'Seconds until the Vault token expires (absent without a token)',
      registers,
      collect() {
        this.reset();
        const expiresAt = session.status().tokenExpiresAt;
        if (expiresAt !== undefined) this.set((expiresAt - clock.now()) / 1000);
      },
    });
    new Gauge({
      name: 'guise_vault_session_ready',
      help: '1 while the Vault session holds a valid token (ready or degraded), else 0',
      registers,
      collect() {
        const { state } = session.status();
        this.set(state === 'ready' || state === 'degraded' ? 1 : 0);
      },
    });
    // Counters kept by the session itself; brought up to date at scrape time.
    syncedCounter(
      'guise_vault_logins_total',
      'Vault logins (first and re-logins)',
      registers,
      () => session.status().logins ?? 0,
    );
    syncedCounter(
      'guise_vault_token_renewals_total',
      'Successful Vault token renewals',
      registers,
      () => session.status().renewals ?? 0,
    );
  }
}

/** A counter whose value lives elsewhere: incremented by the difference on every scrape. */
function syncedCounter(
  name: string,
  help: string,
  registers: Registry[],
  read: () => number,
): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers,
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}
