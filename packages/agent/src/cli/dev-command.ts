import { startDevEnvironment } from '../dev/start-dev-environment.js';
import { devInstructions, devSummary } from '../dev/dev-instructions.js';
import type { AwsConfig } from '../config/schema.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';
import { shutdownSignal } from './shutdown-signal.js';
import { agentLogger } from '../observe/agent-logger.js';

export interface DevCommandOptions {
  readonly listen?: string;
  readonly tokens?: AwsConfig['tokens'];
  readonly json?: boolean;
}

/**
 * `guise dev`: the whole chain on loopback. stdout carries only what the user asked for (the shell
 * lines, or one JSON line that a script can read); logs go to stderr.
 */
export async function runDevCommand(options: DevCommandOptions): Promise<ExitCode> {
  const shutdown = shutdownSignal();
  // As `guise agent` logs with `log.format: auto`: text for a person at a terminal, else JSON.
  const logger = agentLogger({ level: 'info', format: 'auto' });
  const dev = await startDevEnvironment({ listen: options.listen, tokens: options.tokens, logger });
  process.stdout.write(
    options.json ? `${JSON.stringify(devSummary(dev))}\n` : devInstructions(dev),
  );
  const signal = await shutdown;
  logger.info('shutting down', { signal });
  await dev.stop();
  return EXIT.ok;
}
