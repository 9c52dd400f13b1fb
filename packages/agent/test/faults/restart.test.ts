import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonLogger } from '@guise/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import type { SeededVault } from '../support/seeded-agent.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';
import { DIALECT_PROBES, PROBED_DIALECTS, Prober } from './dialect-probes.js';
import { issuedSecrets, leakedSecrets } from './issued-secrets.js';

const ROLE = 'guise-demo';
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Each dialect's status for its credential. */
async function statuses(agent: RunningAgent): Promise<number[]> {
  const prober = new Prober(agent.url);
  try {
    return await Promise.all(
      DIALECT_PROBES.map(async (probe) => (await prober.ask(probe, Date.now)).status),
    );
  } finally {
    prober.close();
  }
}

/** Polls until every dialect serves its credential; the broker's backoff starts at one second. */
async function eventuallyServes(agent: RunningAgent, withinMs: number): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  let answered = await statuses(agent);
  while (answered.some((status) => status !== 200) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    answered = await statuses(agent);
  }
  return answered;
}

function logins(seeded: SeededVault): number {
  return seeded.vault.requests.filter((r) => r.path === '/v1/auth/approle/login').length;
}

describe('an agent restarted during a Vault outage, its single-use secret_id spent', () => {
  it('answers every dialect the status its clients retry meanwhile and serves again once Vault is back, from the persisted token, without logging in', async () => {
    const seeded = await startSeededVault({ secretIdUses: 1 });
    cleanup.push(() => seeded.stop());
    const workDir = await mkdtemp(path.join(tmpdir(), 'guise-restart-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const tokenFile = path.join(workDir, 'vault-token');
    const lines: string[] = [];
    const logger = new JsonLogger({ level: 'debug', write: (l) => lines.push(l) });

    const first = await startAgentOn(seeded, ROLE, logger, {
      tokenFile,
      dialects: PROBED_DIALECTS,
    });
    expect(await statuses(first)).toEqual(DIALECT_PROBES.map(() => 200));
    await first.stop();
    expect(logins(seeded)).toBe(1); // the secret_id is used up now

    seeded.vault.faults.sealed = true;
    const second = await startAgentOn(seeded, ROLE, logger, {
      tokenFile,
      dialects: PROBED_DIALECTS,
    });
    cleanup.push(() => second.stop());
    expect(await statuses(second)).toEqual(DIALECT_PROBES.map((p) => p.unavailableStatus));

    seeded.vault.faults.sealed = false;
    expect(await eventuallyServes(second, 15_000)).toEqual(DIALECT_PROBES.map(() => 200));
    expect(logins(seeded)).toBe(1);
    expect(leakedSecrets(lines, issuedSecrets(seeded))).toEqual([]);
  }, 30_000);
});
