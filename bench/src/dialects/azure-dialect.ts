import type { BackendInfo } from '../children/child-messages.js';
import type { RequestSpec } from '../load/http-exchange.js';
import type { BenchDialect } from './bench-dialect.js';

/** The system-assigned identity's token for Azure Resource Manager, as `az login --identity` asks. */
const TOKEN_REQUEST: RequestSpec = {
  method: 'GET',
  path: '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/',
  headers: { Metadata: 'true' },
};

/**
 * guise emulates IMDS's identity throttle (20 requests/s, then 429) by default; the benchmark
 * turns it off so that it measures what guise can serve, which the goal compares with those 20/s.
 */
const THROTTLE_OFF = 1_000_000_000;

function systemIdentity(backend: BackendInfo): string {
  const identity = backend.cloudSections.azure.identities.find((i) => 'systemAssigned' in i);
  if (!identity) throw new Error('the dev Azure sections have no system-assigned identity');
  return identity.name;
}

/** Azure IMDS: the managed identity's token. */
export const azureDialect: BenchDialect = {
  name: 'azure',
  publishedLimit: {
    perSecond: 20,
    unit: 'requests',
    description: "Azure IMDS's 20 identity requests/s (azure-imds.md §0.9)",
  },
  agentConfig: (backend) => ({
    azure: { ...backend.cloudSections.azure, identityRequestsPerSecond: THROTTLE_OFF },
  }),
  // An identity's Vault role is its name unless configured otherwise (the dev sections do not).
  vaultIssuePath: (backend) => `/v1/azure/creds/${systemIdentity(backend)}`,
  credentialRequest: () => TOKEN_REQUEST,
  cases: () => [{ name: 'Azure token', dialect: 'azure', scenario: async () => [TOKEN_REQUEST] }],
};
