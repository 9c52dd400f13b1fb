import type { Logger, MetadataProvider, ServerLimits, VaultSession } from '@guise/core';
import { createMetadataApp, CredentialBroker, listen, TOKENS } from '@guise/core';
import type { AgentConfig } from '../config/schema.js';
import { once } from '../util/once.js';
import type { AgentOverrides } from './build-agent-container.js';
import { buildAgentContainer } from './build-agent-container.js';

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
  const logger = scope.resolve(TOKENS.Logger).child({ component: 'agent' });
  const session = scope.resolve(TOKENS.VaultSession);
  const broker = scope.resolve(CredentialBroker);
  const providers = scope.resolveAll(TOKENS.MetadataProvider);

  const app = createMetadataApp({ providers, logger: scope.resolve(TOKENS.Logger) });
  const server = await listen(
    app,
    config.listen.host,
    config.listen.port,
    serverLimits(config.limits),
  );
  let stopping = false;
  const ready = warmUp(session, providers, logger, () => stopping);

  const stop = once(async () => {
    stopping = true;
    const parts: Array<{ name: string; stop: () => Promise<void> }> = [
      { name: 'listener', stop: () => server.close() },
      ...providers.map((p) => ({ name: `provider ${p.name}`, stop: async () => p.stop?.() })),
      { name: 'credential broker', stop: () => broker.shutdown() },
      { name: 'vault session', stop: () => session.close() },
    ];
    // Every part is stopped even if an earlier one fails: a failing provider must not leave the
    // session's token timer running.
    for (const part of parts) {
      await part.stop().catch((error: unknown) => {
        logger.warn('could not stop cleanly', { part: part.name, error });
      });
    }
    await scope.dispose();
  });
  return { url: server.url, ready, stop };
}

/** The config's limits (durations in seconds) as the listener takes them. */
function serverLimits(limits: AgentConfig['limits']): ServerLimits {
  return {
    maxHeaderBytes: limits.maxHeaderBytes,
    headersTimeoutMs: limits.headersTimeout * 1000,
    requestTimeoutMs: limits.requestTimeout * 1000,
    keepAliveTimeoutMs: limits.keepAliveTimeout * 1000,
  };
}

/** Logs in and warms every provider's credentials; failures are logged, never thrown. */
async function warmUp(
  session: VaultSession,
  providers: readonly MetadataProvider[],
  logger: Logger,
  stopping: () => boolean,
): Promise<void> {
  // The session logs a failed login itself and keeps retrying; providers then get the same error
  // from the broker, which retries with backoff, so the agent needs no retry loop of its own.
  await session.start().catch(() => undefined);
  await Promise.all(
    providers.map((provider) =>
      Promise.resolve(provider.start?.()).catch((error: unknown) => {
        // Whatever fails because the agent is being stopped meanwhile is not worth a warning.
        if (!stopping())
          logger.warn('could not fetch the first credentials', { provider: provider.name, error });
      }),
    ),
  );
}
