import type { RequestSpec } from '../load/http-exchange.js';
import type { BenchDialect } from './bench-dialect.js';

/** The default service account's access token, as the Google client libraries ask for it. */
const TOKEN_REQUEST: RequestSpec = {
  method: 'GET',
  path: '/computeMetadata/v1/instance/service-accounts/default/token',
  headers: { 'Metadata-Flavor': 'Google' },
};

/** GCE metadata server: the access token (Google documents no rate limit to compare with). */
export const gcpDialect: BenchDialect = {
  name: 'gcp',
  agentConfig: (backend) => ({ gcp: backend.cloudSections.gcp }),
  vaultIssuePath: (backend) =>
    `/v1/gcp/roleset/${backend.cloudSections.gcp.serviceAccount.token.vault.roleset}/token`,
  credentialRequest: () => TOKEN_REQUEST,
  cases: () => [{ name: 'GCP token', dialect: 'gcp', scenario: async () => [TOKEN_REQUEST] }],
};
