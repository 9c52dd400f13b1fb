import type { Clock, Logger } from '@guise/core';
import type { RunningAgent } from '../../src/compose/start-agent.js';
import { startAgent } from '../../src/compose/start-agent.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { DevBackends } from '../../src/dev/dev-backends.js';
import { startDevBackends } from '../../src/dev/dev-backends.js';
import { devCloudSections } from '../../src/dev/dev-cloud-sections.js';
import { DEMO_ROLE } from '../../src/dev/seed-vault.js';

/** `guise dev`'s seeded backends, plus what tests log in with and which roles they may ask for. */
export interface SeededVault extends DevBackends {
  readonly roleId: string;
  /** Reusable (num_uses = 0) unless `secretIdUses` says otherwise. */
  readonly secretId: string;
  /** The IAM roles the AppRole may have credentials of (`guise-demo` plus `extraRoles`). */
  readonly roles: readonly string[];
  /** The role-id file and the response-wrapped secret-id file, in `workDir`. */
  readonly files: { readonly roleIdFile: string; readonly secretIdFile: string };
}

/**
 * The backends of `guise dev` (Vault, STS, Google, Azure, seeded alike) on `clock` if given, plus
 * `extraRoles` (AWS engine roles mapped to IAM roles of the same name, allowed to the same
 * AppRole), `extraPolicies` (name → HCL, for what a test seeds itself, also given to the AppRole)
 * and an unwrapped secret_id for agents started with `startAgentOn`.
 */
export async function startSeededVault(
  options: {
    clock?: Clock;
    extraRoles?: readonly string[];
    extraPolicies?: Readonly<Record<string, string>>;
    secretIdUses?: number;
  } = {},
): Promise<SeededVault> {
  const { clock } = options;
  const backends = await startDevBackends(clock ? { now: () => clock.now() } : {});
  const { operator, appRole } = backends;
  const extraRoles = options.extraRoles ?? [];
  for (const role of extraRoles) {
    await operator.write(`aws/roles/${role}`, {
      credential_type: 'assumed_role',
      role_arns: [`arn:aws:iam::${backends.vault.aws.accountId}:role/${role}`],
    });
  }
  const policies: Record<string, string> = {
    ...(extraRoles.length > 0 && {
      'extra-roles': extraRoles
        .map((r) => `path "aws/sts/${r}" {\n  capabilities = ["read", "update"]\n}\n`)
        .join('\n'),
    }),
    ...options.extraPolicies,
  };
  for (const [name, policy] of Object.entries(policies))
    await operator.write(`sys/policies/acl/${name}`, { policy });
  if (Object.keys(policies).length > 0) {
    await operator.write(`auth/approle/role/${appRole.roleName}`, {
      token_policies: [...appRole.policies, ...Object.keys(policies)],
      token_ttl: '1h',
    });
  }
  const roleId = await operator.read<{ role_id: string }>(
    `auth/approle/role/${appRole.roleName}/role-id`,
  );
  const secret = await operator.write<{ secret_id: string }>(
    `auth/approle/role/${appRole.roleName}/secret-id`,
    options.secretIdUses === undefined ? {} : { num_uses: options.secretIdUses },
  );
  return {
    ...backends,
    roleId: roleId?.data?.role_id ?? '',
    secretId: secret?.data?.secret_id ?? '',
    roles: [DEMO_ROLE, ...extraRoles],
    files: { roleIdFile: appRole.roleIdFile, secretIdFile: appRole.secretIdFile },
  };
}

/** A metadata dialect the agent can serve from the seeded backends. */
export type Dialect = 'aws' | 'gcp' | 'azure';

export interface AgentOptions {
  /** Top-level config sections merged over the base config. */
  readonly extra?: Record<string, unknown>;
  readonly clock?: Clock;
  /** Where the agent keeps its Vault token (`vault.tokenFile`). */
  readonly tokenFile?: string;
  /** The dialects the agent serves (default AWS alone). */
  readonly dialects?: readonly Dialect[];
  /** More keys of the `vault` section (`requestTimeout`, ...). */
  readonly vault?: Record<string, unknown>;
  /** Return once the listener is up, before the first credentials are in (default: after). */
  readonly untilListening?: boolean;
}

/** An agent serving `role` (AWS) and the seeded GCP and Azure identities of `dialects`. */
export async function startAgentOn(
  seeded: SeededVault,
  role: string,
  logger: Logger,
  {
    extra = {},
    clock,
    tokenFile,
    dialects = ['aws'],
    vault = {},
    untilListening = false,
  }: AgentOptions = {},
): Promise<RunningAgent> {
  const sections: Record<string, unknown> = devCloudSections(seeded, { awsRole: role });
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
      ...vault,
    },
    ...Object.fromEntries(dialects.map((dialect) => [dialect, sections[dialect]])),
    ...extra,
  });
  const agent = await startAgent(config, { logger, ...(clock && { clock }) });
  if (!untilListening) await agent.ready;
  return agent;
}

export interface SeededAgent {
  readonly agent: RunningAgent;
  readonly seeded: SeededVault;
  readonly role: string;
  stop(): Promise<void>;
}

/** One agent for the demo role (and the seeded identities of `dialects`) on a freshly seeded Vault. */
export async function startSeededAgent(
  logger: Logger,
  extra: Record<string, unknown> = {},
  dialects: readonly Dialect[] = ['aws'],
): Promise<SeededAgent> {
  const seeded = await startSeededVault();
  const agent = await startAgentOn(seeded, DEMO_ROLE, logger, { extra, dialects });
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
