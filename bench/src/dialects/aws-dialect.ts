import type { BackendInfo } from '../children/child-messages.js';
import type { RequestSpec } from '../load/http-exchange.js';
import type { BenchDialect } from './bench-dialect.js';

const TOKEN_TTL_HEADER = 'X-aws-ec2-metadata-token-ttl-seconds';
const TOKEN_HEADER = 'X-aws-ec2-metadata-token';

function credentialGet(backend: BackendInfo, headers: Record<string, string> = {}): RequestSpec {
  const path = `/latest/meta-data/iam/security-credentials/${backend.roleName}`;
  return { method: 'GET', path, headers };
}

/** AWS IMDS: IMDSv1 (a bare GET, what cloud-init and old SDKs do) and IMDSv2 (PUT a token, then GET). */
export const awsDialect: BenchDialect = {
  name: 'aws',
  agentConfig: (backend) => ({
    aws: {
      tokens: 'optional',
      role: { name: backend.roleName },
      instance: { region: backend.region, accountId: backend.accountId },
    },
  }),
  vaultIssuePath: (backend) => `/v1/aws/sts/${backend.roleName}`,
  credentialRequest: (backend) => credentialGet(backend),
  cases: (backend) => [
    { name: 'AWS v1 GET credential', scenario: [{ request: () => credentialGet(backend) }] },
    {
      name: 'AWS v2 PUT+GET credential',
      scenario: [
        {
          request: () => ({
            method: 'PUT',
            path: '/latest/api/token',
            headers: { [TOKEN_TTL_HEADER]: '21600' },
          }),
        },
        {
          request: (token) =>
            credentialGet(backend, { [TOKEN_HEADER]: token?.body.toString('latin1') ?? '' }),
        },
      ],
    },
  ],
};
