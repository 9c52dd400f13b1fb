import type { Clock, RunningServer, ServerLimits, VaultSession } from '@guise/core';
import { CredentialBroker, TOKENS } from '@guise/core';
import type { AgentConfig } from '../config/schema.js';
import type { AgentMetrics } from '../observe/agent-metrics.js';
import type { AgentOverrides } from './build-agent-container.js';
import { buildAgentContainer } from './build-agent-container.js';
import { serveMetadata } from './serve-metadata.js';

export interface RunningAgent {
  /** Where the metadata endpoint listens, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Where each side listener listens, by name (`azure-app-service`). */
  readonly sideUrls: Readonly<Record<string, string>>;
  /** Where `/metrics`, `/healthz` and `/readyz` are served, when `metrics.listen` is set. */
  readonly metricsUrl?: string;
  /**
   * Settles once the Vault login and the first credentials were attempted (it never rejects:
   * failures are logged and retried in the background while the listener answers).
   */
  readonly ready: Promise<void>;
  /** Closes the listener, stops providers, shuts the broker down and closes the Vault session. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts one agent: listener first, then Vault login and credential warm-up in the background, so
 * that a Vault outage at start-up never keeps the endpoint from answering (clients get the
 * dialect's retryable error until the first credential arrives).
 */
export async function startAgent(
  config: AgentConfig,
  overrides: AgentOverrides = {},
): Promise<RunningAgent> {
  const scope = await buildAgentContainer(config, overrides);
  const session = scope.resolve(TOKENS.VaultSession);
  const clock = scope.resolve(TOKENS.Clock);
  const broker = scope.resolve(CredentialBroker);
  const metricsAt = config.metrics.listen;
  const observed = metricsAt ? await startMetrics(broker, session, clock, metricsAt) : undefined;
  const stopMetrics = async () => {
    observed?.metrics.close();
    await observed?.server.close();
  };
  const served = await serveMetadata(scope, config.listen.host, config.listen.port, {
    onResponse: observed?.metrics.recordRequest,
    limits: serverLimits(config.limits),
    alsoStop: [
      { name: 'vault session', stop: () => session.close() },
      { name: 'metrics listener', stop: stopMetrics },
    ],
  });
  // The session logs a failed login itself and keeps retrying; providers then get the same error
  // from the broker, which retries with backoff, so the agent needs no retry loop of its own.
  const ready = session
    .start()
    .catch(() => undefined)
    .then(() => served.startProviders());
  return {
    url: served.url,
    sideUrls: served.sideUrls,
    metricsUrl: observed?.server.url,
    ready,
    stop: served.stop,
  };
}

/**
 * The agent's metrics and their listener. prom-client is imported here, only when
 * `metrics.listen` is set: once loaded, a module stays resident for the life of the process.
 */
async function startMetrics(
  broker: CredentialBroker,
  session: VaultSession,
  clock: Clock,
  address: { host: string; port: number },
): Promise<{ metrics: AgentMetrics; server: RunningServer }> {
  const [{ AgentMetrics }, { startMetricsServer }] = await Promise.all([
    import('../observe/agent-metrics.js'),
    import('../observe/metrics-server.js'),
  ]);
  const metrics = new AgentMetrics(broker, session, clock);
  return { metrics, server: await startMetricsServer(metrics, broker, clock, address) };
}

/** The config's limits (durations in seconds) as the listener takes them. */
function serverLimits(limits: AgentConfig['limits']): ServerLimits {
  return {
    maxHeaderBytes: limits.maxHeaderBytes,
    maxBodyBytes: limits.maxBodyBytes,
    headersTimeoutMs: limits.headersTimeout * 1000,
    requestTimeoutMs: limits.requestTimeout * 1000,
    keepAliveTimeoutMs: limits.keepAliveTimeout * 1000,
  };
}
