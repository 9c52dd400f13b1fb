import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendInfo } from '../children/child-messages.js';
import type { BenchDialect } from '../dialects/bench-dialect.js';
import { oneRequest } from './one-request.js';
import { startAgentChild } from './start-agent-child.js';

export interface StartupFigures {
  /** The dialects the agent was configured with. */
  readonly dialects: readonly string[];
  /** From `fork()` to the first answer of any status (a 503 while the first credential is on its way counts). */
  readonly firstAnswerMs: number;
  /** From `fork()` to the first 200 on the first dialect's credential path. */
  readonly firstCredentialMs: number;
  /** RSS of the agent (MB) after its credentials are cached and it has been idle for `idleMs`. */
  readonly idleRssMB: number;
  readonly idleMs: number;
}

const IDLE_MS = 3_000;
const POLL_MS = 2;

/**
 * Starts an agent and polls its first dialect's credential path from the moment of `fork()`: what
 * a host booting sees. Then, once every dialect's credential is cached (`ready`), lets it sit idle
 * and reads its RSS.
 */
export async function measureStartup(
  backend: BackendInfo,
  dialects: readonly BenchDialect[],
): Promise<StartupFigures> {
  const [first] = dialects;
  if (!first) throw new Error('measureStartup needs at least one dialect');
  const agent = await startAgentChild(backend, dialects);
  const request = first.credentialRequest(backend);
  let firstAnswerMs: number | undefined;
  let firstCredentialMs: number | undefined;
  try {
    while (firstCredentialMs === undefined) {
      const response = await oneRequest(agent.port, request).catch(() => undefined);
      const elapsed = performance.now() - agent.spawnedAt;
      if (response) firstAnswerMs ??= elapsed;
      if (response?.status === 200) firstCredentialMs = elapsed;
      else await sleep(POLL_MS);
    }
    await agent.next('ready');
    await sleep(IDLE_MS);
    return {
      dialects: dialects.map((d) => d.name),
      firstAnswerMs: firstAnswerMs ?? NaN,
      firstCredentialMs,
      idleRssMB: agent.rssMB(),
      idleMs: IDLE_MS,
    };
  } finally {
    await agent.stop();
  }
}
