import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonLogger } from '@guise/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import type { SeededVault } from '../support/seeded-agent.js';
import { startAgentOn, startSeededVault } from '../support/seeded-agent.js';

const ROLE = 'guise-demo';
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function credentialStatus(agent: RunningAgent): Promise<number> {
  const response = await fetch(`${agent.url}/latest/meta-data/iam/security-credentials/${ROLE}`);
  await response.text();
  return response.status;
}

/** Polls until the agent serves its credential; the broker's backoff starts at one second. */
async function eventuallyServes(agent: RunningAgent, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let status = await credentialStatus(agent);
  while (status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = await credentialStatus(agent);
  }
  return status;
}

function logins(seeded: SeededVault): number {
  return seeded.vault.requests.filter((r) => r.path === '/v1/auth/approle/login').length;
}

describe('an agent restarted during a Vault outage, its single-use secret_id spent', () => {
  it('answers 503 meanwhile and serves again once Vault is back, from the persisted token, without logging in', async () => {
    const seeded = await startSeededVault({ secretIdUses: 1 });
    cleanup.push(() => seeded.stop());
    const workDir = await mkdtemp(path.join(tmpdir(), 'guise-restart-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const tokenFile = path.join(workDir, 'vault-token');
    const lines: string[] = [];
    const logger = new JsonLogger({ level: 'debug', write: (l) => lines.push(l) });

    const first = await startAgentOn(seeded, ROLE, logger, { tokenFile });
    expect(await credentialStatus(first)).toBe(200);
    await first.stop();
    expect(logins(seeded)).toBe(1); // the secret_id is used up now

    seeded.vault.faults.sealed = true;
    const second = await startAgentOn(seeded, ROLE, logger, { tokenFile });
    cleanup.push(() => second.stop());
    expect(await credentialStatus(second)).toBe(503);

    seeded.vault.faults.sealed = false;
    expect(await eventuallyServes(second, 15_000)).toBe(200);
    expect(logins(seeded)).toBe(1);
    expect(lines.join('\n')).not.toContain(seeded.secretId);
  }, 30_000);
});
