import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '@guise/core';
import { JsonLogger } from '@guise/core';
import { startAgent } from '../compose/start-agent.js';
import { once } from '../util/once.js';
import { parseConfig } from '../config/load-config.js';
import { listenOverride } from '../config/overrides.js';
import type { AwsConfig } from '../config/schema.js';
import { DEFAULT_AWS_TOKENS } from '../config/schema.js';
import { DEMO_ROLE, seedVault } from './seed-vault.js';
import { DEMO_GCP_KEY_ACCOUNT, DEMO_GCP_ROLESET, seedGcp } from './seed-gcp.js';
import { DEMO_AZURE_SYSTEM_ROLE, DEMO_AZURE_USER_ROLE, seedAzure } from './seed-azure.js';
import { VaultOperator } from './vault-operator.js';
import { awsMetadataEnv, azureMetadataEnv, gcpMetadataEnv } from '../sdk-env/metadata-env.js';

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
  /** The GCP side: the project the fake Google knows, the service account, the fake's URL. */
  readonly gcp: {
    readonly projectId: string;
    readonly projectNumber: string;
    readonly serviceAccount: string;
    readonly googleApis: string;
  };
  readonly azure: DevAzure;
  /** The variables that make AWS, GCP and Azure clients use this environment and nothing else. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** The Azure half: the fake cloud, and the identities the agent serves from it. */
export interface DevAzure {
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** The fake Entra (and ARM: same HTTPS listener), e.g. for `az cloud register`. */
  readonly cloudUrl: string;
  /** The CA of the fake cloud's certificate, as a file (`REQUESTS_CA_BUNDLE`, `NODE_EXTRA_CA_CERTS`). */
  readonly caFile: string;
  readonly identities: ReadonlyArray<{ name: string; systemAssigned: boolean; clientId?: string }>;
  /** The App Service dialect: what a process needs as IDENTITY_ENDPOINT and IDENTITY_HEADER. */
  readonly appService: { readonly endpoint: string; readonly header: string };
}

const REGION = 'us-east-1';

const LOOPBACK = '127.0.0.1';

/**
 * The whole chain on loopback: an in-memory Vault, STS and Azure cloud (from @guise/testkit), Vault seeded over
 * its HTTP API as an operator would, and the agent started by the same `startAgent` as in
 * production, logging in with AppRole and a response-wrapped secret_id delivered as a file.
 */
export async function startDevEnvironment(
  options: DevEnvironmentOptions = {},
): Promise<DevEnvironment> {
  const logger = options.logger ?? new JsonLogger();
  // Loaded here, not at the top: the agent's entry points import this module, and an agent that
  // never runs `guise dev` should not carry an in-memory Vault and STS (≈ 12 MB of RSS).
  const { startFakeAzure, startFakeGoogleApis, startFakeSts, startFakeVault } =
    await import('@guise/testkit');
  const vault = await startFakeVault({ host: LOOPBACK, port: 0 });
  const sts = await startFakeSts({ account: vault.aws, host: LOOPBACK, port: 0 });
  const google = await startFakeGoogleApis({ project: vault.gcp, host: LOOPBACK, port: 0 });
  const azureCloud = await startFakeAzure({ tenant: vault.azure, host: LOOPBACK, port: 0 });
  const workDir = await mkdtemp(path.join(tmpdir(), 'guise-dev-'));
  const stopBackends = async () => {
    await Promise.all([sts.stop(), google.stop(), vault.stop(), azureCloud.stop()]);
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    const operator = new VaultOperator(vault.url, vault.rootToken);
    const gcp = await seedGcp(operator, { project: vault.gcp.projectId });
    const seededAzure = await seedAzure(operator, {
      tenantId: vault.azure.tenantId,
      subscriptionId: vault.azure.subscriptionId,
    });
    const caFile = path.join(workDir, 'azure-ca.pem');
    await writeFile(caFile, azureCloud.caPem);
    const appServiceSecret = randomBytes(24).toString('base64url');
    const appRole = await seedVault(operator, {
      accountId: vault.aws.accountId,
      // What an operator creates in IAM for Vault (an IAM user's access key) before configuring it.
      rootKeys: vault.aws.createUserAccessKey('vault-root'),
      stsEndpoint: sts.url,
      region: REGION,
      workDir,
      extraPolicies: [gcp.policy, seededAzure.policy],
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
        gcp: {
          project: { id: vault.gcp.projectId, number: vault.gcp.projectNumber },
          serviceAccount: {
            email: gcp.email,
            token: { vault: { roleset: DEMO_GCP_ROLESET } },
            identity: { vault: { staticAccount: DEMO_GCP_KEY_ACCOUNT } },
          },
          googleTokenUrl: google.tokenUrl,
        },
        azure: {
          tenantId: vault.azure.tenantId,
          authorityHost: azureCloud.url,
          caFile,
          identities: [
            { name: DEMO_AZURE_SYSTEM_ROLE, systemAssigned: true },
            { name: DEMO_AZURE_USER_ROLE, clientId: seededAzure.userClientId },
          ],
          instance: { location: 'westeurope', subscriptionId: vault.azure.subscriptionId },
          appService: { listen: `${LOOPBACK}:0`, secret: { value: appServiceSecret } },
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
      tokens: config.aws?.tokens ?? DEFAULT_AWS_TOKENS,
      gcp: {
        projectId: vault.gcp.projectId,
        projectNumber: vault.gcp.projectNumber,
        serviceAccount: gcp.email,
        googleApis: google.url,
      },
      azure: {
        tenantId: vault.azure.tenantId,
        subscriptionId: vault.azure.subscriptionId,
        cloudUrl: azureCloud.url,
        caFile,
        identities: [
          { name: DEMO_AZURE_SYSTEM_ROLE, systemAssigned: true },
          { name: DEMO_AZURE_USER_ROLE, systemAssigned: false, clientId: seededAzure.userClientId },
        ],
        appService: {
          endpoint: `${agent.sideUrls['azure-app-service'] ?? ''}/msi/token`,
          header: appServiceSecret,
        },
      },
      env: {
        ...awsMetadataEnv(agent.url, REGION),
        AWS_ENDPOINT_URL_STS: sts.url,
        ...gcpMetadataEnv(agent.url),
        ...azureMetadataEnv(agent.url),
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
