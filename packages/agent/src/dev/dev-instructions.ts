import type { DevEnvironment } from './start-dev-environment.js';

/** What `guise dev --json` prints: one object on one line, for scripts and tests. */
export function devSummary(dev: DevEnvironment) {
  return {
    metadataUrl: dev.metadataUrl,
    vaultAddr: dev.vaultAddr,
    vaultToken: dev.vaultToken,
    stsEndpoint: dev.stsEndpoint,
    region: dev.region,
    accountId: dev.accountId,
    roles: dev.roles,
    tokens: dev.tokens,
    gcp: dev.gcp,
    azure: dev.azure,
    env: dev.env,
  };
}

/** What `guise dev` prints for a person: shell lines to paste into another terminal. */
export function devInstructions(dev: DevEnvironment): string {
  const [role] = dev.roles;
  const exports = Object.entries(dev.env).map(([name, value]) => `  export ${name}=${value}`);
  const credentialsUrl = `${dev.metadataUrl}/latest/meta-data/iam/security-credentials/${role}`;
  const curl =
    dev.tokens === 'required'
      ? [
          `  TOKEN=$(curl -s -X PUT ${dev.metadataUrl}/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600')`,
          `  curl -s -H "X-aws-ec2-metadata-token: $TOKEN" ${credentialsUrl}`,
        ]
      : [`  curl -s ${credentialsUrl}`];
  return [
    'guise dev is running. In another shell:',
    // Credentials in the environment or a profile come before IMDS in every SDK's chain.
    '  unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN',
    ...exports,
    `  aws sts get-caller-identity --endpoint-url ${dev.stsEndpoint}`,
    ...curl,
    `  curl -s -H 'Metadata-Flavor: Google' ${dev.metadataUrl}/computeMetadata/v1/instance/service-accounts/default/token`,
    '  gcloud auth print-access-token   # with CLOUDSDK_CONFIG pointing at an empty directory',
    `  curl -s -H 'Metadata: true' '${dev.metadataUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/'`,
    `  # App Service dialect: IDENTITY_ENDPOINT=${dev.azure.appService.endpoint} IDENTITY_HEADER=${dev.azure.appService.header}`,
    `Vault (dev, in memory): VAULT_ADDR=${dev.vaultAddr} VAULT_TOKEN=${dev.vaultToken}`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}
