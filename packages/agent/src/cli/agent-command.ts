import { startAgent } from '../compose/start-agent.js';
import { agentLogger } from '../observe/agent-logger.js';
import { loadConfig } from '../config/load-config.js';
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
  const config = await loadConfig(options.config, { overrides: listenOverride(options.listen) });
  const logger = agentLogger(config.log);
  const agent = await startAgent(config, { logger });
  logger.info('agent listening', { url: agent.url });
  const signal = await shutdown;
  logger.info('shutting down', { signal });
  await agent.stop();
  return EXIT.ok;
}
