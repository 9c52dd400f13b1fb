import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock, Logger } from '@guise/core';
import type { FakeSts, FakeVault } from '@guise/testkit';
import { FakeAwsAccount, startFakeSts, startFakeVault } from '@guise/testkit';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import { startAgent } from '../../src/compose/start-agent.js';
import { parseConfig } from '../../src/config/load-config.js';
import { DEMO_ROLE, seedVault } from '../../src/dev/seed-vault.js';
import { VaultOperator } from '../../src/dev/vault-operator.js';

export interface SeededVault {
  readonly vault: FakeVault;
  readonly sts: FakeSts;
  readonly roleId: string;
  /** Reusable (num_uses = 0) unless `secretIdUses` says otherwise. */
  readonly secretId: string;
  /** The IAM roles the AppRole may have credentials of (`guise-demo` plus `roles`). */
  readonly roles: readonly string[];
  /** A scratch folder removed by `stop()`, holding the role-id file and a wrapped secret-id file. */
  readonly workDir: string;
  readonly files: { readonly roleIdFile: string; readonly secretIdFile: string };
  stop(): Promise<void>;
}

/**
 * The testkit's Vault and STS seeded as `guise dev` seeds them, plus `extraRoles` (AWS engine
 * roles mapped to IAM roles of the same name, allowed to the same AppRole), on `clock` if given.
 */
export async function startSeededVault(
  options: { clock?: Clock; extraRoles?: readonly string[]; secretIdUses?: number } = {},
): Promise<SeededVault> {
  const now = options.clock ? () => options.clock?.now() ?? Date.now() : undefined;
  const vault = await startFakeVault({ ...(now && { now, aws: new FakeAwsAccount({ now }) }) });
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
  const extraRoles = options.extraRoles ?? [];
  for (const role of extraRoles) {
    await operator.write(`aws/roles/${role}`, {
      credential_type: 'assumed_role',
      role_arns: [`arn:aws:iam::${vault.aws.accountId}:role/${role}`],
    });
  }
  if (extraRoles.length > 0) {
    await operator.write('sys/policies/acl/extra-roles', {
      policy: extraRoles
        .map((r) => `path "aws/sts/${r}" {\n  capabilities = ["read", "update"]\n}\n`)
        .join('\n'),
    });
    await operator.write(`auth/approle/role/${seeded.roleName}`, {
      token_policies: [DEMO_ROLE, 'extra-roles'],
      token_ttl: '1h',
    });
  }
  const roleId = await operator.read<{ role_id: string }>(
    `auth/approle/role/${seeded.roleName}/role-id`,
  );
  const secret = await operator.write<{ secret_id: string }>(
    `auth/approle/role/${seeded.roleName}/secret-id`,
    options.secretIdUses === undefined ? {} : { num_uses: options.secretIdUses },
  );
  return {
    vault,
    sts,
    roleId: roleId?.data?.role_id ?? '',
    secretId: secret?.data?.secret_id ?? '',
    roles: [DEMO_ROLE, ...extraRoles],
    workDir,
    files: { roleIdFile: seeded.roleIdFile, secretIdFile: seeded.secretIdFile },
    stop: async () => {
      await Promise.all([sts.stop(), vault.stop()]);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

export interface AgentOptions {
  /** Top-level config sections merged over the base config. */
  readonly extra?: Record<string, unknown>;
  readonly clock?: Clock;
  /** Where the agent keeps its Vault token (`vault.tokenFile`). */
  readonly tokenFile?: string;
}

/** An agent serving `role` from `seeded`. */
export async function startAgentOn(
  seeded: SeededVault,
  role: string,
  logger: Logger,
  { extra = {}, clock, tokenFile }: AgentOptions = {},
): Promise<RunningAgent> {
  const config = parseConfig({
    listen: '127.0.0.1:0',
    vault: {
      address: seeded.vault.url,
      ...(tokenFile && { tokenFile }),
      auth: {
        approle: {
          roleId: { value: seeded.roleId },
          secretId: { value: seeded.secretId, wrapped: false },
        },
      },
    },
    aws: { role: { name: role }, instance: { region: 'us-east-1' } },
    ...extra,
  });
  const agent = await startAgent(config, { logger, ...(clock && { clock }) });
  await agent.ready;
  return agent;
}

export interface SeededAgent {
  readonly agent: RunningAgent;
  readonly seeded: SeededVault;
  readonly role: string;
  stop(): Promise<void>;
}

/** One agent for the demo role on a freshly seeded Vault. */
export async function startSeededAgent(
  logger: Logger,
  extra: Record<string, unknown> = {},
): Promise<SeededAgent> {
  const seeded = await startSeededVault();
  const agent = await startAgentOn(seeded, DEMO_ROLE, logger, { extra });
  return {
    agent,
    seeded,
    role: DEMO_ROLE,
    stop: async () => {
      await agent.stop();
      await seeded.stop();
    },
  };
}
