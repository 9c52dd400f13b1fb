import { setTimeout as delay } from 'node:timers/promises';
import { ConfigCheckInterrupted, loadConfigInChild } from '../config/load-config-in-child.js';
import type { AgentConfig } from '../config/schema.js';
import { listenOverride } from '../config/overrides.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';
import { shutdownSignal } from './shutdown-signal.js';

/** `guise agent`: load the config, serve until SIGINT/SIGTERM, then close everything. */
export async function runAgentCommand(options: {
  config: string;
  listen?: string;
}): Promise<ExitCode> {
  const shutdown = shutdownSignal();
  let stoppedEarly: NodeJS.Signals | undefined;
  void shutdown.then((signal) => (stoppedEarly = signal));
  // The config is checked in a process of its own (see loadConfigInChild) while this one loads
  // the agent's modules.
  const [config, { startAgent }, { agentLogger }] = await Promise.all([
    loadConfigInChild(options.config, { overrides: listenOverride(options.listen) }).catch(
      (error: unknown) => stoppedWithChild(error, shutdown),
    ),
    import('../compose/start-agent.js'),
    import('../observe/agent-logger.js'),
  ]);
  // Stopped while starting (systemd's stop during start-up): nothing to serve, nothing to undo.
  // No config means the check was ended by that same stop (see stoppedWithChild).
  if (stoppedEarly || !config) {
    const log = config?.log ?? { level: 'info', format: 'auto' };
    agentLogger(log).info('stopped before starting', { signal: stoppedEarly });
    return EXIT.ok;
  }
  const logger = agentLogger(config.log);
  const agent = await startAgent(config, { logger });
  logger.info('agent listening', { url: agent.url });
  const signal = await shutdown;
  logger.info('shutting down', { signal });
  await agent.stop();
  return EXIT.ok;
}

/**
 * The config check's failure, unless it is the agent's own stop: a signal sent to the process
 * group may end the checking process before this one has handled its copy, so a second is given
 * for that copy to arrive. Resolves (undefined) when it is a stop.
 */
async function stoppedWithChild(
  error: unknown,
  shutdown: Promise<NodeJS.Signals>,
): Promise<AgentConfig | undefined> {
  if (error instanceof ConfigCheckInterrupted) {
    const signal = await Promise.race([shutdown, delay(1_000, undefined)]);
    if (signal) return undefined;
  }
  throw error;
}
