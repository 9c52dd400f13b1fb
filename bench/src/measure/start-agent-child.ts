import type { BackendInfo } from '../children/child-messages.js';
import type { SpawnedChild } from '../children/spawn-child.js';
import { spawnChild } from '../children/spawn-child.js';
import type { BenchDialect } from '../dialects/bench-dialect.js';
import { AGENT_CONFIG_ENV } from '../servers/agent-config-env.js';
import { benchAgentConfig } from './agent-config.js';
import { freeLoopbackPort } from './free-port.js';

export interface AgentChild extends SpawnedChild {
  readonly port: number;
}

/** Forks a guise agent configured for `dialects`; `execArgv` may add `--cpu-prof`. */
export async function startAgentChild(
  backend: BackendInfo,
  dialects: readonly BenchDialect[],
  execArgv: readonly string[] = [],
): Promise<AgentChild> {
  const port = await freeLoopbackPort();
  const config = benchAgentConfig(backend, dialects, port);
  const child = spawnChild('guise-agent-main', {
    env: { [AGENT_CONFIG_ENV]: JSON.stringify(config) },
    execArgv,
  });
  return Object.assign(child, { port });
}
