import type { AwsConfig } from '../config/schema.js';
import type { DevBackends } from './dev-backends.js';
import { DEV_REGION } from './dev-backends.js';
import { DEMO_ROLE } from './seed-vault.js';
import { DEMO_GCP_KEY_ACCOUNT, DEMO_GCP_ROLESET } from './seed-gcp.js';
import { DEMO_AZURE_SYSTEM_ROLE, DEMO_AZURE_USER_ROLE } from './seed-azure.js';

export interface DevCloudOptions {
  /** The IAM role the AWS dialect serves (default the demo role). */
  readonly awsRole?: string;
  /** IMDSv2 session tokens: optional (default), required, or disabled. */
  readonly tokens?: AwsConfig['tokens'];
  /** Where the App Service dialect listens and the secret it checks; absent, no App Service. */
  readonly appService?: { readonly listen: string; readonly secret: string };
}

/** The Azure identities the dev seeding creates: one system-assigned, one user-assigned. */
export function devAzureIdentities(backends: DevBackends) {
  return [
    { name: DEMO_AZURE_SYSTEM_ROLE, systemAssigned: true },
    { name: DEMO_AZURE_USER_ROLE, systemAssigned: false, clientId: backends.azure.userClientId },
  ] as const;
}

/**
 * The agent config's `aws`, `gcp` and `azure` sections (raw input, as a YAML file would hold
 * them) serving what `startDevBackends` seeded: `guise dev`, the tests and the benchmark pick the
 * sections they need, so a dialect's settings for the dev backends are written once.
 */
export function devCloudSections(backends: DevBackends, options: DevCloudOptions = {}) {
  const { vault, google, azureCloud, gcp } = backends;
  return {
    aws: {
      tokens: options.tokens,
      role: { name: options.awsRole ?? DEMO_ROLE },
      instance: {
        region: DEV_REGION,
        availabilityZone: `${DEV_REGION}a`,
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
      caFile: backends.caFile,
      identities: devAzureIdentities(backends).map(({ name, systemAssigned, ...rest }) =>
        systemAssigned ? { name, systemAssigned } : { name, ...rest },
      ),
      instance: { location: 'westeurope', subscriptionId: vault.azure.subscriptionId },
      ...(options.appService && {
        appService: {
          listen: options.appService.listen,
          secret: { value: options.appService.secret },
        },
      }),
    },
  };
}
