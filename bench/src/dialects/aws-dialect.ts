import type { BackendInfo } from '../children/child-messages.js';
import type { RequestSpec } from '../load/http-exchange.js';
import { oneRequest } from '../measure/one-request.js';
import type { BenchDialect } from './bench-dialect.js';

const TOKEN_TTL_HEADER = 'X-aws-ec2-metadata-token-ttl-seconds';
const TOKEN_HEADER = 'X-aws-ec2-metadata-token';
const PUT_TOKEN: RequestSpec = {
  method: 'PUT',
  path: '/latest/api/token',
  headers: { [TOKEN_TTL_HEADER]: '21600' },
};

function credentialGet(backend: BackendInfo, headers: Record<string, string> = {}): RequestSpec {
  const path = `/latest/meta-data/iam/security-credentials/${backend.cloudSections.aws.role.name}`;
  return { method: 'GET', path, headers };
}

/** AWS IMDS: IMDSv1 (a bare GET, what cloud-init and old SDKs do) and IMDSv2 (PUT a token, then GET). */
export const awsDialect: BenchDialect = {
  name: 'aws',
  publishedLimit: {
    perSecond: 1_024,
    unit: 'packets',
    description: "AWS IMDS's ~1,024 packets/s (aws-imds.md §1.5)",
  },
  // IMDSv1 and v2 both: `tokens` is left at its default, optional.
  agentConfig: (backend) => ({ aws: backend.cloudSections.aws }),
  vaultIssuePath: (backend) => `/v1/aws/sts/${backend.cloudSections.aws.role.name}`,
  credentialRequest: (backend) => credentialGet(backend),
  cases: (backend) => [
    {
      name: 'AWS v1 GET credential',
      dialect: 'aws',
      scenario: async () => [credentialGet(backend)],
    },
    {
      name: 'AWS v2 PUT+GET credential',
      dialect: 'aws',
      scenario: async (guisePort) => {
        // Each client alternates a PUT and a GET, and the GETs all carry one token minted here,
        // not the one their own PUT got: wrk's Lua state is per thread, not per connection, so a
        // request cannot be tied to its connection's previous answer (SDKs, too, reuse a token
        // for its lifetime). guise's work per pair is the same: mint a token, check a token.
        const token = await oneRequest(guisePort, PUT_TOKEN);
        if (token.status !== 200) throw new Error(`IMDSv2 token PUT answered ${token.status}`);
        return [
          PUT_TOKEN,
          credentialGet(backend, { [TOKEN_HEADER]: token.body.toString('latin1') }),
        ];
      },
    },
  ],
};
