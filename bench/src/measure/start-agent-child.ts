import { readFileSync } from 'node:fs';
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

/**
 * The Node options the shipped systemd unit gives the agent (`Environment=NODE_OPTIONS=`), read from
 * the unit itself so that the agent is measured as it is deployed.
 */
export function deployedNodeOptions(): string[] {
  const unit = readFileSync(
    new URL('../../../deploy/systemd/guise.service', import.meta.url),
    'utf8',
  );
  const options = /^Environment="?NODE_OPTIONS=([^"\n]*)"?$/m.exec(unit)?.[1] ?? '';
  return options.split(' ').filter(Boolean);
}

/**
 * Forks a guise agent configured for `dialects`, with the deployed Node options; `execArgv` may
 * add `--cpu-prof`.
 */
export async function startAgentChild(
  backend: BackendInfo,
  dialects: readonly BenchDialect[],
  execArgv: readonly string[] = [],
): Promise<AgentChild> {
  const port = await freeLoopbackPort();
  const config = benchAgentConfig(backend, dialects, port);
  const child = spawnChild('guise-agent-main', {
    env: { [AGENT_CONFIG_ENV]: JSON.stringify(config) },
    execArgv: [...deployedNodeOptions(), ...execArgv],
  });
  return Object.assign(child, { port });
}
