import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@guise/core';
import { JsonLogger } from '@guise/core';
import { startAgent } from '../compose/start-agent.js';
import { once } from '../util/once.js';
import { parseConfig } from '../config/load-config.js';
import { listenOverride } from '../config/overrides.js';
import type { AwsConfig } from '../config/schema.js';
import { DEMO_ROLE, seedVault } from './seed-vault.js';
import { VaultOperator } from './vault-operator.js';

export interface DevEnvironmentOptions {
  /** Where the agent listens; default 127.0.0.1 on a free port. Loopback or link-local only. */
  readonly listen?: string;
  /** IMDSv2 session tokens: optional (default, as on EC2), required, or disabled (IMDSv1 only). */
  readonly tokens?: AwsConfig['tokens'];
  readonly logger?: Logger;
}

export interface DevEnvironment {
  /** The agent, as `http://127.0.0.1:PORT`. */
  readonly metadataUrl: string;
  readonly vaultAddr: string;
  /** The fake Vault's root token: dev only, in memory, gone when the environment stops. */
  readonly vaultToken: string;
  readonly stsEndpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly roles: readonly string[];
  /** The IMDSv2 token mode the agent runs in. */
  readonly tokens: AwsConfig['tokens'];
  /** The variables that make an AWS client use this environment and nothing else. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const REGION = 'us-east-1';
const LOOPBACK = '127.0.0.1';

/**
 * The whole chain on loopback: an in-memory Vault and STS (from @guise/testkit), Vault seeded over
 * its HTTP API as an operator would, and the agent started by the same `startAgent` as in
 * production, logging in with AppRole and a response-wrapped secret_id delivered as a file.
 */
export async function startDevEnvironment(
  options: DevEnvironmentOptions = {},
): Promise<DevEnvironment> {
  const logger = options.logger ?? new JsonLogger();
  // Loaded here, not at the top: the agent's entry points import this module, and an agent that
  // never runs `guise dev` should not carry an in-memory Vault and STS (≈ 12 MB of RSS).
  const { startFakeSts, startFakeVault } = await import('@guise/testkit');
  const vault = await startFakeVault({ host: LOOPBACK, port: 0 });
  const sts = await startFakeSts({ account: vault.aws, host: LOOPBACK, port: 0 });
  const workDir = await mkdtemp(path.join(tmpdir(), 'guise-dev-'));
  const stopBackends = async () => {
    await Promise.all([sts.stop(), vault.stop()]);
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    const appRole = await seedVault(new VaultOperator(vault.url, vault.rootToken), {
      accountId: vault.aws.accountId,
      // What an operator creates in IAM for Vault (an IAM user's access key) before configuring it.
      rootKeys: vault.aws.createUserAccessKey('vault-root'),
      stsEndpoint: sts.url,
      region: REGION,
      workDir,
    });
    const config = parseConfig(
      {
        listen: `${LOOPBACK}:0`,
        vault: {
          address: vault.url,
          tokenFile: path.join(workDir, 'vault-token'),
          auth: {
            approle: {
              role: appRole.roleName,
              roleId: { file: appRole.roleIdFile },
              secretId: { file: appRole.secretIdFile, wrapped: true, removeAfterReading: true },
            },
          },
        },
        aws: {
          tokens: options.tokens,
          role: { name: DEMO_ROLE },
          instance: {
            region: REGION,
            availabilityZone: `${REGION}a`,
            accountId: vault.aws.accountId,
          },
        },
      },
      { source: 'guise dev', overrides: listenOverride(options.listen) },
    );
    const agent = await startAgent(config, { logger });
    // The instructions are printed once the first credential is in hand, so a first request is a hit.
    await agent.ready;
    return {
      metadataUrl: agent.url,
      vaultAddr: vault.url,
      vaultToken: vault.rootToken,
      stsEndpoint: sts.url,
      region: REGION,
      accountId: vault.aws.accountId,
      roles: [DEMO_ROLE],
      tokens: config.aws.tokens,
      env: {
        // botocore adds a missing trailing slash and the JS SDK replaces the path: both accept this.
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `${agent.url}/`,
        AWS_REGION: REGION,
        // AWS CLI v1 (botocore) reads only AWS_DEFAULT_REGION.
        AWS_DEFAULT_REGION: REGION,
        AWS_ENDPOINT_URL_STS: sts.url,
        // A profile or shared credentials file would win over IMDS in every SDK's chain.
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      stop: once(async () => {
        await agent.stop();
        await stopBackends();
      }),
    };
  } catch (error) {
    await stopBackends();
    throw error;
  }
}
