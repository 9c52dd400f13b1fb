import type { AgentConfig } from '../config/schema.js';
import { TOKENS } from '@guise/core';
import type { AgentOverrides } from './build-agent-container.js';
import { buildAgentContainer } from './build-agent-container.js';
import { serveMetadata } from './serve-metadata.js';

export interface RunningAgent {
  /** Where the metadata endpoint listens, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
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
  const served = await serveMetadata(scope, config.listen.host, config.listen.port, [
    { name: 'vault session', stop: () => session.close() },
  ]);
  // The session logs a failed login itself and keeps retrying; providers then get the same error
  // from the broker, which retries with backoff, so the agent needs no retry loop of its own.
  const ready = session
    .start()
    .catch(() => undefined)
    .then(() => served.startProviders());
  return { url: served.url, ready, stop: served.stop };
}
