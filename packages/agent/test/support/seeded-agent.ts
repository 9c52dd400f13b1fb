import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@guise/core';
import type { FakeSts, FakeVault } from '@guise/testkit';
import { startFakeSts, startFakeVault } from '@guise/testkit';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import { startAgent } from '../../src/compose/start-agent.js';
import { parseConfig } from '../../src/config/load-config.js';
import { DEMO_ROLE, seedVault } from '../../src/dev/seed-vault.js';
import { VaultOperator } from '../../src/dev/vault-operator.js';

export interface SeededAgent {
  readonly agent: RunningAgent;
  readonly vault: FakeVault;
  readonly sts: FakeSts;
  readonly role: string;
  /** The reusable secret_id the agent logged in with (for searching logs for it). */
  readonly secretId: string;
  stop(): Promise<void>;
}

/**
 * The testkit's Vault and STS seeded as `guise dev` seeds them, and an agent logging in with a
 * reusable secret_id, configured by `extra` (merged over the base config, one level deep).
 */
export async function startSeededAgent(
  logger: Logger,
  extra: Record<string, unknown> = {},
): Promise<SeededAgent> {
  const vault = await startFakeVault();
  const sts = await startFakeSts({ account: vault.aws });
  const workDir = await mkdtemp(path.join(tmpdir(), 'guise-agent-test-'));
  const operator = new VaultOperator(vault.url, vault.rootToken);
  const seeded = await seedVault(operator, {
    accountId: vault.aws.accountId,
    rootKeys: vault.aws.createUserAccessKey('vault-root'),
    stsEndpoint: sts.url,
    region: 'us-east-1',
    workDir,
  });
  const roleId = await operator.read<{ role_id: string }>(
    `auth/approle/role/${seeded.roleName}/role-id`,
  );
  const secret = await operator.write<{ secret_id: string }>(
    `auth/approle/role/${seeded.roleName}/secret-id`,
  );
  const config = parseConfig({
    listen: '127.0.0.1:0',
    vault: {
      address: vault.url,
      auth: {
        approle: {
          roleId: { value: roleId?.data?.role_id },
          secretId: { value: secret?.data?.secret_id, wrapped: false },
        },
      },
    },
    aws: { role: { name: DEMO_ROLE }, instance: { region: 'us-east-1' } },
    ...extra,
  });
  const agent = await startAgent(config, { logger });
  await agent.ready;
  return {
    agent,
    vault,
    sts,
    role: DEMO_ROLE,
    secretId: secret?.data?.secret_id ?? '',
    stop: async () => {
      await agent.stop();
      await Promise.all([sts.stop(), vault.stop()]);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
