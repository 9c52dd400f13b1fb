import { loadConfigInChild } from '../config/load-config-in-child.js';
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
  // The config is checked in a process of its own (see loadConfigInChild) while this one loads
  // the agent's modules.
  const [config, { startAgent }, { agentLogger }] = await Promise.all([
    loadConfigInChild(options.config, { overrides: listenOverride(options.listen) }),
    import('../compose/start-agent.js'),
    import('../observe/agent-logger.js'),
  ]);
  const logger = agentLogger(config.log);
  const agent = await startAgent(config, { logger });
  logger.info('agent listening', { url: agent.url });
  const signal = await shutdown;
  logger.info('shutting down', { signal });
  await agent.stop();
  return EXIT.ok;
}
