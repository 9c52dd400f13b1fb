import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '@guise/core';
import {
  isLocalOnlyAddress,
  JsonLogger,
  ListenAddressError,
  parseListenAddress,
} from '@guise/core';
import { startAgent } from '../compose/start-agent.js';
import { once } from '../util/once.js';
import { ConfigError } from '../config/config-error.js';
import { parseConfig } from '../config/load-config.js';
import { listenOverride } from '../config/overrides.js';
import type { AwsConfig } from '../config/schema.js';
import { DEFAULT_IMDS_TOKENS } from '../config/imds-token-modes.js';
import { DEMO_ROLE } from './seed-vault.js';
import { DEV_REGION, startDevBackends } from './dev-backends.js';
import { devAzureIdentities, devCloudSections } from './dev-cloud-sections.js';
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

const LOOPBACK = '127.0.0.1';

/**
 * The whole chain on loopback: the seeded fakes of `startDevBackends`, and the agent started by
 * the same `startAgent` as in production, logging in with AppRole and a response-wrapped
 * secret_id delivered as a file, serving all three dialects.
 */
export async function startDevEnvironment(
  options: DevEnvironmentOptions = {},
): Promise<DevEnvironment> {
  refuseRemoteListen(options.listen);
  const logger = options.logger ?? new JsonLogger();
  const backends = await startDevBackends();
  const { vault, sts, google, azureCloud, appRole, gcp } = backends;
  try {
    const appServiceSecret = randomBytes(24).toString('base64url');
    const config = parseConfig(
      {
        listen: `${LOOPBACK}:0`,
        vault: {
          address: vault.url,
          tokenFile: path.join(backends.workDir, 'vault-token'),
          auth: {
            approle: {
              role: appRole.roleName,
              roleId: { file: appRole.roleIdFile },
              secretId: { file: appRole.secretIdFile, wrapped: true, removeAfterReading: true },
            },
          },
        },
        ...devCloudSections(backends, {
          tokens: options.tokens,
          appService: { listen: `${LOOPBACK}:0`, secret: appServiceSecret },
        }),
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
      region: DEV_REGION,
      accountId: vault.aws.accountId,
      roles: [DEMO_ROLE],
      tokens: config.aws?.tokens ?? DEFAULT_IMDS_TOKENS,
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
        caFile: backends.caFile,
        identities: devAzureIdentities(backends),
        appService: {
          endpoint: `${agent.sideUrls['azure-app-service'] ?? ''}/msi/token`,
          header: appServiceSecret,
        },
      },
      env: {
        ...awsMetadataEnv(agent.url, DEV_REGION),
        AWS_ENDPOINT_URL_STS: sts.url,
        ...gcpMetadataEnv(agent.url),
        ...azureMetadataEnv(agent.url),
      },
      stop: once(async () => {
        await agent.stop();
        await backends.stop();
      }),
    };
  } catch (error) {
    await backends.stop();
    throw error;
  }
}

/**
 * `guise dev` hands out its demo credentials on this machine only: there is no `allowRemote` to
 * suggest (as the agent's config check does), so a routable `--listen` is refused here, by name.
 */
function refuseRemoteListen(listen: string | undefined): void {
  if (listen === undefined) return;
  let host: string;
  try {
    ({ host } = parseListenAddress(listen));
  } catch (error) {
    if (error instanceof ListenAddressError) throw new ConfigError([`--listen: ${error.reason}`]);
    throw error;
  }
  if (!isLocalOnlyAddress(host)) {
    throw new ConfigError([
      `--listen: ${host} is neither loopback nor link-local; guise dev serves this machine only (guise agent with allowRemote: true serves a network)`,
    ]);
  }
}
