import type { BackendInfo } from '../children/child-messages.js';
import type { SpawnedChild } from '../children/spawn-child.js';
import type { BenchDialect } from '../dialects/bench-dialect.js';
import { oneRequest } from './one-request.js';
import { startAgentChild } from './start-agent-child.js';

export interface ColdPathFigures {
  readonly dialect: string;
  readonly concurrent: number;
  /** Vault issue calls for the credential while the 100 requests were answered: must be 1. */
  readonly vaultIssues: number;
  /** Statuses of the answers, e.g. `{ "200": 100 }`. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Time until the last of them was answered. */
  readonly wallMs: number;
}

const CONCURRENT = 100;

/**
 * A fresh agent, hit by 100 simultaneous first requests the moment it listens (its own warm-up is
 * still logging in to Vault): single-flight must collapse them all into one Vault issue.
 */
export async function measureColdPath(
  backend: BackendInfo,
  backendChild: SpawnedChild,
  dialect: BenchDialect,
): Promise<ColdPathFigures> {
  const countIssues = async () => {
    const answer = backendChild.next('vault-calls');
    backendChild.send({ type: 'count-vault-calls', path: dialect.vaultIssuePath(backend) });
    return (await answer).count;
  };
  const before = await countIssues();
  const agent = await startAgentChild(backend, [dialect]);
  try {
    await agent.next('listening');
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, () =>
        oneRequest(agent.port, dialect.credentialRequest(backend)).catch(() => undefined),
      ),
    );
    const wallMs = performance.now() - started;
    await agent.next('ready');
    const statuses: Record<string, number> = {};
    for (const response of responses) {
      const key = response ? String(response.status) : 'error';
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    return {
      dialect: dialect.name,
      concurrent: CONCURRENT,
      vaultIssues: (await countIssues()) - before,
      statuses,
      wallMs,
    };
  } finally {
    await agent.stop();
  }
}
